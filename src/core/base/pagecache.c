/* pagecache.c - rendered list pages kept while the database is unchanged: a
 * front end asking for the same page again (GET people?limit=50) gets the text
 * rendered before, as long as no other connection changed the data (its
 * data_version) and this one wrote nothing (fs_tx_begin empties the cache).
 * The key is every input of the list, compared byte for byte; pages that reveal
 * sealed fields are never kept. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define PAGES 8
#define PAGE_MAX (256u * 1024u) /* a bigger page is rendered each time */

struct page {
	char *key, *text;
	size_t key_len, text_len;
	int64_t version;
};

struct fs_page_cache {
	struct page p[PAGES];
	unsigned next;
};

void fs_page_cache_clear(struct fs_ctx *ctx)
{
	struct fs_page_cache *c = ctx->pages;
	if (!c)
		return;
	for (size_t i = 0; i < PAGES; i++) {
		free(c->p[i].key);
		free(c->p[i].text);
	}
	memset(c, 0, sizeof(*c));
}

void fs_page_cache_free(struct fs_ctx *ctx)
{
	fs_page_cache_clear(ctx);
	free(ctx->pages);
	ctx->pages = NULL;
}

static int add_str(struct fs_buf *k, const char *s)
{
	return fs_buf_adds(k, s ? s : "\x01(none)") || fs_buf_addc(k, '\0');
}

/* Every input of fs_list_text, NUL-separated. */
static int page_key(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, struct fs_buf *k)
{
	int bad = add_str(k, e->name) || fs_buf_addi(k, ctx->org_id) || fs_buf_addc(k, '\0') || fs_buf_addi(k, o->limit) ||
		  fs_buf_addc(k, '\0') || fs_buf_addi(k, o->offset) || fs_buf_addc(k, '\0') || fs_buf_addi(k, o->flags) ||
		  fs_buf_addc(k, '\0') || add_str(k, o->search) ||
		  /* what the principal's role may read (handling.c): a page is shared only by readers who see the same */
		  fs_buf_addi(k, fs_handled(e) ? fs_sees_every_level(ctx) : 2) || fs_buf_addc(k, '\0');
	for (size_t i = 0; !bad && i < o->nfilters; i++)
		bad = add_str(k, o->filters[i].key) || add_str(k, o->filters[i].value);
	return bad ? FS_ENOMEM : 0;
}

int fs_list_text(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, struct fs_buf *out,
		 struct fs_error *err)
{
	if ((o->flags & FS_REVEAL) || ctx->tx_depth)
		return fs_list_text_uncached(ctx, e, o, out, err);
	struct fs_buf key;
	fs_buf_init(&key, 64u * 1024u);
	int64_t version = page_key(ctx, e, o, &key) ? -1 : fs_data_version(ctx);
	if (version < 0) {
		fs_buf_done(&key);
		return fs_list_text_uncached(ctx, e, o, out, err);
	}
	if (!ctx->pages && !(ctx->pages = calloc(1, sizeof(*ctx->pages)))) {
		fs_buf_done(&key);
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	}
	struct fs_page_cache *c = ctx->pages;
	for (size_t i = 0; i < PAGES; i++) {
		struct page *p = &c->p[i];
		if (p->key && p->version == version && p->key_len == key.len && !memcmp(p->key, key.data, key.len)) {
			fs_buf_done(&key);
			return fs_buf_add(out, p->text, p->text_len) ? fs_fail(err, FS_ENOMEM, NULL, "out of memory") : 0;
		}
	}
	size_t start = out->len;
	int rc = fs_list_text_uncached(ctx, e, o, out, err);
	if (!rc && out->len - start <= PAGE_MAX) {
		struct page *p = &c->p[c->next++ % PAGES];
		free(p->key);
		free(p->text);
		memset(p, 0, sizeof(*p));
		p->key = malloc(key.len);
		p->text = malloc(out->len - start + 1);
		if (p->key && p->text) {
			memcpy(p->key, key.data, key.len);
			memcpy(p->text, out->data + start, out->len - start);
			p->key_len = key.len;
			p->text_len = out->len - start;
			p->version = version;
		} else {
			free(p->key);
			free(p->text);
			memset(p, 0, sizeof(*p));
		}
	}
	fs_buf_done(&key);
	return rc;
}
