/* cmd_key.c - the data key: fairshare key status|wrap|unwrap|split|unlock|rotate,
 * person forget (what unlocks a key for every command is unlock.c's). */
#include "cli.h"
#include "options.h"

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

/* ---- fairshare key ... ---- */

static int new_passphrase(const struct cli *c, int fd, char *out, size_t cap)
{
	(void)c;
	if (fd >= 0)
		return cli_read_line_fd(fd, out, cap) ? (fprintf(stderr, "fairshare: no new passphrase on file descriptor "
			"%d\n", fd), -1) : 0;
	char *again = sodium_malloc(cap);
	int rc = !again || cli_ask_tty("new passphrase: ", out, cap) || cli_ask_tty("the same again: ", again, cap);
	if (!rc && strcmp(out, again)) {
		fprintf(stderr, "fairshare: the two passphrases differ\n");
		rc = -1;
	} else if (rc) {
		fprintf(stderr, "fairshare: give the new passphrase on a terminal or with --new-passphrase-fd N\n");
	}
	if (again)
		sodium_free(again);
	return rc ? -1 : 0;
}

/* The data key, checked against the database (opening it checks the fingerprint). */
static int current_master(struct cli *c, unsigned flags, unsigned char master[32], int *exit_code)
{
	struct fs_ctx *ctx = cli_open(c, flags, 0, exit_code);
	if (!ctx)
		return -1;
	fs_close(ctx);
	char path[4096];
	cli_key_path(c, path);
	struct fs_error err = {0};
	int rc = fs_keyfile_master(path, master, &err);
	if (rc) {
		*exit_code = cli_fail(&err, rc);
		return -1;
	}
	return 0;
}

static const char key_help[] =
	"usage: fairshare key status\n"
	"       fairshare key wrap --passphrase [--new-passphrase-fd N]\n"
	"       fairshare key unwrap\n"
	"       fairshare key split --shares N --threshold K [--out DIR]\n"
	"       fairshare key unlock [--share SHARE]... [--restore]\n"
	"       fairshare key rotate [--batch N] [--out DIR]\n\n"
	"The key file (DB.key, or --key) holds the data key, or the data key wrapped by a\n"
	"passphrase (Argon2id), or only a note that it is split into shares (k of n\n"
	"officers together open it; nobody holds it alone).\n\n"
	"  status   which of the three the key file is\n"
	"  wrap     wrap the key by a passphrase (asked twice on the terminal)\n"
	"  unwrap   write the data key itself into the key file again\n"
	"  split    print N shares (or write DIR/share-I.txt, mode 0600), any K of which\n"
	"           give the key back; then the key file keeps only the note\n"
	"  unlock   check that shares open this database's key; --restore writes the key file back\n"
	"  rotate   re-seal every sealed value under a new key (journaled; after a crash run it again);\n"
	"           a split key is split again, as many shares with the same threshold, into\n"
	"           DIR/share-I.txt (--out DIR, required), before anything is sealed with it\n\n"
	"Every command that needs the key asks for the passphrase or the shares on the\n"
	"terminal, or reads them from --passphrase-fd N / --shares-fd N (one share a line)\n"
	"or from $CREDENTIALS_DIRECTORY/fairshare-passphrase / fairshare-shares (systemd\n"
	"LoadCredential=) for unattended use.\n";

static int key_split(struct cli *c, int argc, char **argv)
{
	int64_t n = 0, k = 0;
	const char *dir = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_ID("shares", &n, "N", "how many shares (2 to 255)"),
		CLI_OPT_ID("threshold", &k, "K", "how many of them open the key (2 to N)"),
		CLI_OPT_STRING("out", &dir, "DIR", "write the shares as files there"),
		CLI_OPT_END(),
	};
	int prc;
	if (cli_parse_options(argc - 1, argv + 1, opts, "key split", 0, &prc) < 0)
		return prc;
	if (n < 2 || n > 255 || k < 2 || k > n)
		return cli_usage("key split needs --shares N (2 to 255) and --threshold K (2 to N)");
	int rc;
	unsigned char master[32];
	if (current_master(c, 0, master, &rc))
		return rc;
	unsigned char fpr[3];
	crypto_generichash(fpr, sizeof(fpr), master, 32, NULL, 0);
	char (*shares)[FS_SHARE_TEXT] = sodium_malloc((size_t)n * FS_SHARE_TEXT);
	struct fs_error err = {0};
	int r = shares ? fs_shares_make(master, fpr, (unsigned)n, (unsigned)k, shares, &err) : FS_ENOMEM;
	sodium_memzero(master, sizeof(master));
	for (int64_t i = 0; !r && i < n; i++) {
		if (dir) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/share-%lld.txt", dir, (long long)(i + 1));
			int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			char text[FS_SHARE_TEXT + 1];
			int len = snprintf(text, sizeof(text), "%s\n", shares[i]);
			if (fd < 0 || write(fd, text, (size_t)len) != len || fsync(fd) != 0)
				r = fs_fail(&err, FS_EIO, "out", "cannot write %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
		} else {
			printf("share %lld of %lld (any %lld open the key): %s\n", (long long)(i + 1), (long long)n, (long long)k,
			       shares[i]);
		}
	}
	if (shares)
		sodium_free(shares);
	if (!r && (fflush(stdout) != 0 || ferror(stdout)))
		r = fs_fail(&err, FS_EIO, NULL, "the shares could not be written out; the key file is unchanged");
	char path[4096];
	cli_key_path(c, path);
	if (!r) /* only once every share is out */
		r = fs_keyfile_write_split(path, (unsigned)k, (unsigned)n, &err);
	if (r)
		return cli_fail(&err, r);
	fprintf(stderr, "the key is split into %lld shares, any %lld of which open it; %s keeps only that note.\n"
		"Give each share to one officer; nobody should hold %lld of them.\n", (long long)n, (long long)k, path,
		(long long)k);
	return EX_OK;
}

static int key_unlock(struct cli *c, int argc, char **argv)
{
	int restore = 0;
	size_t n = 0;
	char (*lines)[LINE_MAX_BYTES] = sodium_malloc(MAX_SHARES * LINE_MAX_BYTES);
	if (!lines)
		return EX_OSERR;
	const char *given[MAX_SHARES];
	struct cli_list sh = {given, 0, MAX_SHARES};
	const struct cli_option opts[] = {
		CLI_OPT_LIST("share", &sh, "SHARE", "one share (else from --shares-fd or the terminal)"),
		CLI_OPT_FLAG("restore", &restore, "write the key itself back into the key file"),
		CLI_OPT_END(),
	};
	int prc;
	if (cli_parse_options(argc - 1, argv + 1, opts, "key unlock", 0, &prc) < 0) {
		sodium_free(lines);
		return prc;
	}
	for (; n < sh.n; n++)
		snprintf(lines[n], LINE_MAX_BYTES, "%s", given[n]);
	char path[4096];
	cli_key_path(c, path);
	struct fs_error err = {0};
	unsigned k = 0, total = 0;
	int r = fs_keyfile_split_info(path, &k, &total, &err);
	if (!r && !n && cli_get_shares(c, k, lines, &n))
		r = fs_fail(&err, FS_ECRYPTO, "shares", "no shares given");
	unsigned char master[32];
	if (!r)
		r = cli_shares_combine(lines, n, master, &err);
	sodium_free(lines);
	if (r)
		return cli_fail(&err, r);
	fs_key_unlock_master(master);
	cli_key_unlocked = 1;
	int rc;
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 0, &rc); /* the database's fingerprint: the right key? */
	if (!ctx) {
		sodium_memzero(master, sizeof(master));
		return rc;
	}
	fs_close(ctx);
	if (restore)
		r = fs_keyfile_write_plain(path, master, 0, &err);
	sodium_memzero(master, sizeof(master));
	if (r)
		return cli_fail(&err, r);
	printf(restore ? "the shares open the key of %s; %s holds the key itself again\n"
		       : "the shares open the key of %s\n", c->db, path);
	return EX_OK;
}

int cmd_key(struct cli *c, int argc, char **argv)
{
	if (sodium_init() < 0)
		return EX_SOFTWARE;
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(key_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	const char *sub = argv[1];
	char path[4096];
	cli_key_path(c, path);
	struct fs_error err = {0};
	int rc;
	if (!strcmp(sub, "status")) {
		int kind = fs_keyfile_kind(path, &err);
		unsigned k = 0, n = 0;
		if (kind == FS_KEY_SPLIT && (rc = fs_keyfile_split_info(path, &k, &n, &err)))
			return cli_fail(&err, rc);
		if (kind < 0)
			return cli_fail(&err, kind);
		if (kind == FS_KEY_SPLIT)
			printf("%s: split into %u shares, any %u of which open it\n", path, n, k);
		else
			printf("%s: %s\n", path, kind == FS_KEY_PLAIN ? "the key itself (anyone who can read the file has it)"
								: "wrapped by a passphrase (Argon2id)");
		return EX_OK;
	}
	if (!strcmp(sub, "wrap")) {
		int pass = 0;
		int64_t fd = -1;
		const struct cli_option opts[] = {
			CLI_OPT_FLAG("passphrase", &pass, "wrap the key by a passphrase (Argon2id)"),
			CLI_OPT_INT("new-passphrase-fd", &fd, "FD", "read the new passphrase from this file descriptor", 0, 1023),
			CLI_OPT_END(),
		};
		if (cli_parse_options(argc - 1, argv + 1, opts, "key wrap", 0, &rc) < 0)
			return rc;
		if (!pass)
			return cli_usage("key wrap needs --passphrase (the one way to wrap the key so far)");
		unsigned char master[32];
		if (current_master(c, 0, master, &rc))
			return rc;
		char *np = sodium_malloc(LINE_MAX_BYTES);
		int r = np && !new_passphrase(c, (int)fd, np, LINE_MAX_BYTES) ? fs_keyfile_write_wrapped(path, master, np, &err)
									   : FS_EINVAL;
		sodium_memzero(master, sizeof(master));
		if (np)
			sodium_free(np);
		if (r)
			return err.message[0] ? cli_fail(&err, r) : EX_DATAERR;
		printf("%s is wrapped by the passphrase; keep the passphrase apart from the machine\n", path);
		return EX_OK;
	}
	if (!strcmp(sub, "unwrap")) {
		static const struct cli_option none[] = {CLI_OPT_END()};
		if (cli_parse_options(argc - 1, argv + 1, none, "key unwrap", 0, &rc) < 0)
			return rc;
		unsigned char master[32];
		if (current_master(c, 0, master, &rc))
			return rc;
		int r = fs_keyfile_write_plain(path, master, 0, &err);
		sodium_memzero(master, sizeof(master));
		if (r)
			return cli_fail(&err, r);
		printf("%s holds the key itself again\n", path);
		return EX_OK;
	}
	if (!strcmp(sub, "split"))
		return key_split(c, argc, argv);
	if (!strcmp(sub, "unlock"))
		return key_unlock(c, argc, argv);
	if (!strcmp(sub, "rotate")) {
		int64_t batch = 1000;
		const char *out = NULL;
		const struct cli_option opts[] = {
			CLI_OPT_ID("batch", &batch, "N", "values re-sealed per transaction (1000)"),
			CLI_OPT_STRING("out", &out, "DIR", "where a split key's new shares go"),
			CLI_OPT_END(),
		};
		if (cli_parse_options(argc - 1, argv + 1, opts, "key rotate", 0, &rc) < 0)
			return rc;
		struct fs_ctx *ctx = cli_open(c, FS_ROTATE, 0, &rc);
		if (!ctx)
			return rc;
		int64_t n = 0;
		int split = fs_keyfile_kind(path, &err) == FS_KEY_SPLIT;
		int r = fs_key_rotate_to(ctx, batch, out, &n, &err);
		fs_close(ctx);
		if (r)
			return cli_fail(&err, r);
		if (split)
			printf("re-sealed %lld values under a new key, split again into new shares in %s; the old shares "
			       "open nothing any more: give each officer their new share, and destroy the old ones\n",
			       (long long)n, out ? out : "the folder given when the rotation began");
		else
			printf("re-sealed %lld values under a new key; %s holds it\n", (long long)n, path);
		return EX_OK;
	}
	return cli_usage("'%s' is not a key command (status, wrap, unwrap, split, unlock, rotate)", sub);
}

int cli_person_forget(struct cli *c, int argc, char **argv)
{
	if (sodium_init() < 0)
		return EX_SOFTWARE;
	int64_t id = 0;
	const char *reason = NULL;
	for (int i = 2; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs("usage: fairshare person forget ID --reason TEXT\n\nDestroys the person's own key: their sealed "
			      "fields (national ID, birth date,\nphone, address, birth place) can never be opened again. The "
			      "record, its\nname and the counts stay; the journal records who and why.\n", stdout);
			return EX_OK;
		}
	}
	const struct cli_option opts[] = {
		CLI_OPT_STRING("reason", &reason, "TEXT", "why (journaled)"),
		CLI_OPT_END(),
	};
	int rc;
	if (cli_parse_options(argc - 1, argv + 1, opts, "person forget", 1, &rc) < 0)
		return rc;
	if (!argv[1] || cli_parse_id(argv[1], &id))
		return cli_usage("person forget needs the person's ID");
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	int r = fs_person_forget(ctx, id, reason, &err);
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	printf("person %lld is forgotten: their sealed fields are destroyed for good\n", (long long)id);
	return EX_OK;
}
