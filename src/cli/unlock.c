/* unlock.c - how every command gets what unlocks a wrapped or split data key:
 * a terminal, a file descriptor or a systemd credential (cli_unlock, called by
 * cli_open and serve); the key command (cmd_key.c) uses the same readers. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "core/keyfile.h"

#define LINE_MAX_BYTES CLI_KEY_LINE_MAX
#define MAX_SHARES CLI_KEY_MAX_SHARES

void cli_key_path(const struct cli *c, char out[4096])
{
	if (c->key)
		snprintf(out, 4096, "%s", c->key);
	else
		snprintf(out, 4096, "%s.key", c->db);
}

/* One line from fd (without its newline); 0, or -1 at the end / on error. */
int cli_read_line_fd(int fd, char *out, size_t cap)
{
	size_t n = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (ch == '\n')
			break;
		if (n + 1 < cap)
			out[n++] = ch;
	}
	out[n] = '\0';
	if (n && out[n - 1] == '\r')
		out[--n] = '\0';
	return n ? 0 : -1;
}

/* Ask on the terminal without echo. */
int cli_ask_tty(const char *prompt, char *out, size_t cap)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct termios old, quiet;
	int have = tcgetattr(fd, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy */
	}
	int rc = cli_read_line_fd(fd, out, cap);
	if (have)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* as above */
	}
	close(fd);
	return rc;
}

static int credential_fd(const char *name)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	if (!dir || !*dir)
		return -1;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The passphrase that unlocks the key: --passphrase-fd, the credential, or the terminal. */
static int get_passphrase(const struct cli *c, char *out, size_t cap)
{
	if (c->passphrase_fd >= 0)
		return cli_read_line_fd(c->passphrase_fd, out, cap) ? (fprintf(stderr, "fairshare: no passphrase on file "
			"descriptor %d\n", c->passphrase_fd), -1) : 0;
	int fd = credential_fd("fairshare-passphrase");
	if (fd >= 0) {
		int rc = cli_read_line_fd(fd, out, cap);
		close(fd);
		if (rc)
			fprintf(stderr, "fairshare: the credential fairshare-passphrase is empty\n");
		return rc;
	}
	if (cli_ask_tty("passphrase for the fairshare key: ", out, cap) == 0)
		return 0;
	fprintf(stderr, "fairshare: the key is wrapped by a passphrase: give it on a terminal, with --passphrase-fd N, "
		"or in $CREDENTIALS_DIRECTORY/fairshare-passphrase\n");
	return -1;
}

/* Shares, one a line: from fd, else the credential, else the terminal (k of them). */
int cli_get_shares(const struct cli *c, unsigned k, char (*lines)[LINE_MAX_BYTES], size_t *n)
{
	int fd = c->shares_fd >= 0 ? c->shares_fd : credential_fd("fairshare-shares");
	*n = 0;
	if (fd >= 0) {
		char line[LINE_MAX_BYTES];
		while (*n < MAX_SHARES && cli_read_line_fd(fd, line, sizeof(line)) == 0)
			if (line[0] && line[0] != '#')
				memcpy(lines[(*n)++], line, sizeof(line));
		if (fd != c->shares_fd)
			close(fd);
		return 0;
	}
	for (unsigned i = 0; i < k; i++) {
		char prompt[80];
		snprintf(prompt, sizeof(prompt), "share %u of %u: ", i + 1, k);
		if (cli_ask_tty(prompt, lines[*n], LINE_MAX_BYTES)) {
			fprintf(stderr, "fairshare: the key is split: give %u shares on a terminal, with --shares-fd N, or in "
				"$CREDENTIALS_DIRECTORY/fairshare-shares\n", k);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

int cli_shares_combine(char (*lines)[LINE_MAX_BYTES], size_t n, unsigned char master[32], struct fs_error *err)
{
	const char *ptrs[MAX_SHARES];
	for (size_t i = 0; i < n; i++)
		ptrs[i] = lines[i];
	unsigned char fpr[3];
	return fs_shares_combine(ptrs, n, fpr, master, err);
}

int cli_key_unlocked; /* what unlocks the key was given (once per process) */

int cli_unlock(struct cli *c, int *exit_code)
{
	if (cli_key_unlocked)
		return 0;
	if (sodium_init() < 0) {
		fprintf(stderr, "fairshare: libsodium failed to initialise\n");
		*exit_code = EX_SOFTWARE;
		return -1;
	}
	char path[4096];
	cli_key_path(c, path);
	struct fs_error err = {0};
	int kind = fs_keyfile_kind(path, &err);
	if (kind < 0)
		return 0; /* the open names the problem */
	if (kind == FS_KEY_WRAPPED) {
		char *pass = sodium_malloc(LINE_MAX_BYTES);
		if (!pass || get_passphrase(c, pass, LINE_MAX_BYTES)) {
			if (pass)
				sodium_free(pass);
			*exit_code = EX_CONFIG;
			return -1;
		}
		fs_key_unlock_passphrase(pass);
		sodium_free(pass);
	} else if (kind == FS_KEY_SPLIT) {
		unsigned k, n;
		size_t got = 0;
		char (*lines)[LINE_MAX_BYTES] = sodium_malloc(MAX_SHARES * LINE_MAX_BYTES);
		unsigned char master[32];
		int rc = fs_keyfile_split_info(path, &k, &n, &err);
		if (!lines)
			rc = FS_ENOMEM;
		if (!rc && cli_get_shares(c, k, lines, &got))
			rc = fs_fail(&err, FS_ECRYPTO, "shares", "no shares given");
		if (!rc)
			rc = cli_shares_combine(lines, got, master, &err);
		if (!rc)
			fs_key_unlock_master(master);
		sodium_memzero(master, sizeof(master));
		if (lines)
			sodium_free(lines);
		if (rc) {
			*exit_code = cli_fail(&err, rc);
			return -1;
		}
	}
	cli_key_unlocked = 1;
	return 0;
}

