/* replay.c - runs a fuzz target over files and directories of inputs (the seed
 * corpus and every finding), so `make test` replays them under ASan + UBSan
 * without libFuzzer. Prints one TAP line per input directory: "ok" when inputs
 * were replayed and none aborted, "not ok" when the directory is missing or an
 * input cannot be read, and "ok ... # SKIP" when there is nothing to replay
 * (no findings yet) - a skip, not a pass. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		if (!got)
			break;
		len += got;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int failures = 0;
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		long n = 0, unreadable = 0;
		if (stat(argv[i], &sb) != 0) {
			printf("not ok %d - %s: missing\n", i, argv[i]);
			failures++;
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			if (!d) {
				printf("not ok %d - %s: cannot be read\n", i, argv[i]);
				failures++;
				continue;
			}
			while ((e = readdir(d))) {
				if (e->d_name[0] == '.')
					continue; /* ., .. and .keep */
				char path[4096];
				snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
				if (run_file(path) == 0)
					n++;
				else
					unreadable++;
			}
			closedir(d);
		} else if (run_file(argv[i]) == 0) {
			n = 1;
		} else {
			unreadable = 1;
		}
		/* reaching here means no sanitizer aborted the process */
		if (unreadable) {
			printf("not ok %d - %s: %ld inputs cannot be read\n", i, argv[i], unreadable);
			failures++;
		} else if (n == 0) {
			printf("ok %d - %s: nothing to replay # SKIP\n", i, argv[i]);
		} else {
			printf("ok %d - %s: %ld inputs replayed\n", i, argv[i], n);
		}
	}
	printf("1..%d\n", argc - 1);
	return failures ? 1 : 0;
}
