/* proofs_out.c - the proofs a statement or a fund report ends with, as text, as
 * QR codes in the terminal (--qr) and as an SVG file (--qr-svg FILE). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

int cli_proofs_print(const char *proofs, const char *why, int qr, const char *svg_path)
{
	if (!proofs) {
		fprintf(stderr, "fairshare: it carries no proofs: %s\n", why ? why : "unknown");
		return qr || svg_path ? EX_UNAVAILABLE : EX_OK;
	}
	printf("\nProofs (check with: fairshare proof verify FILE)\n%s", proofs);
	struct fs_error err = {0};
	char *out = NULL;
	if (qr) {
		if (fs_qr_text(proofs, &out, &err))
			return cli_fail(&err, FS_ELIMIT);
		printf("\nThe proofs as QR codes\n%s", out);
		free(out);
	}
	if (svg_path) {
		if (fs_qr_svg(proofs, &out, &err))
			return cli_fail(&err, FS_ELIMIT);
		FILE *f = fopen(svg_path, "w");
		int bad = !f || fputs(out, f) == EOF;
		if (f && fclose(f))
			bad = 1;
		free(out);
		if (bad) {
			fprintf(stderr, "fairshare: cannot write %s\n", svg_path);
			return EX_CANTCREAT;
		}
	}
	return EX_OK;
}
