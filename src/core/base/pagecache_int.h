/* pagecache_int.h - the page cache's storage, shared by pagecache.c (pages kept
 * and found) and tx.c (emptied when a write transaction begins). */
#ifndef FS_PAGECACHE_INT_H
#define FS_PAGECACHE_INT_H

#include "internal.h"

struct page {
	char *key, *text;
	size_t key_len, text_len;
	int64_t version;
};

struct fs_page_cache {
	struct page p[FS_PAGECACHE_PAGES];
	unsigned next;
};

#endif
