/* demo.h - the synthetic demo data set (`fairshare demo`), a module of its own
 * beside the core library (libfairshare_demo), not part of its public API
 * (fairshare.h): only the CLI links it. */
#ifndef FS_DEMO_H
#define FS_DEMO_H

#include "fairshare.h"

/* Fills a new database with the demo data (fictitious names, numbers and
 * places); refuses a database that has data. */
int fs_demo(struct fs_ctx *ctx, struct fs_error *err);

#endif
