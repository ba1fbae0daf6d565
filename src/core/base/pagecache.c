/* pagecache.c - rendered list pages kept while the database is unchanged: a
 * front end asking for the same page again (GET people?limit=50) gets the text
 * rendered before, as long as no other connection changed the data (its
 * data_version) and this one wrote nothing (fs_tx_begin empties the cache).
 * The key is every input of the list, compared byte for byte; pages that reveal
 * sealed fields are never kept. */
#include "internal.h"
#include "pagecache_int.h"

#include <stdlib.h>
#include <string.h>


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
	int rc0 = fs_may_read(ctx, e, err); /* before the cache: a page is never read past its capability */
	if (rc0)
		return rc0;
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
	for (size_t i = 0; i < FS_PAGECACHE_PAGES; i++) {
		struct page *p = &c->p[i];
		if (p->key && p->version == version && p->key_len == key.len && !memcmp(p->key, key.data, key.len)) {
			fs_buf_done(&key);
			return fs_buf_add(out, p->text, p->text_len) ? fs_fail(err, FS_ENOMEM, NULL, "out of memory") : 0;
		}
	}
	size_t start = out->len;
	int rc = fs_list_text_uncached(ctx, e, o, out, err);
	if (!rc && out->len - start <= FS_PAGECACHE_PAGE_MAX) {
		struct page *p = &c->p[c->next++ % FS_PAGECACHE_PAGES];
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

/* A list page as JSON: the cached text parsed (entity_ops.c renders it). */
int fs_list(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, json_t **ret,
	    struct fs_error *err)
{
	struct fs_buf text;
	fs_buf_init(&text, 256u << 20);
	int rc = fs_list_text(ctx, e, o, &text, err);
	json_t *j = rc ? NULL : json_loadb(text.data, text.len, 0, NULL);
	fs_buf_done(&text);
	if (!rc && !j)
		rc = fs_fail(err, FS_ENOMEM, NULL, "cannot build the list");
	if (!rc)
		*ret = j;
	return rc;
}
