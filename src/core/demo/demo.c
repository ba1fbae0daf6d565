/* demo.c - a synthetic, reproducible demo data set. Every name, number and place
 * is made up: a miners' union whose coal mine closed on 2011-08-31 with 748
 * workers discharged, a second workplace still running, and an oil workers' union
 * in Kazakhstan. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static int between(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

#define PICK(r, a) (a)[next(r) % (sizeof(a) / sizeof((a)[0]))]

static const char *const tr_male[] = {"Ahmet", "Mehmet", "Mustafa", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf", "Murat", "Ömer", "Ali", "Recep", "Şükrü", "Kadir", "Erdal", "Cengiz", "Gökhan", "Ilgaz", "İlker", "Özgür", "Çetin", "Şahin", "Doğan", "Ümit", "Serkan", "Tuncay", "Yaşar", "Halil", "Sadık"};
static const char *const tr_female[] = {"Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Şerife", "Gülşen", "Özlem", "İlknur", "Çiğdem"};
static const char *const tr_family[] = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "İlder", "Ağaoğlu", "Güneş", "Bozkurt", "Karadağ", "Ünal", "Erdoğdu", "Sarıgül", "Tekin", "Uçar"};
static const char *const kz_given[] = {"Жанболат", "Ерлан", "Нұрлан", "Қайрат", "Серік", "Асқар", "Бауыржан", "Мұрат", "Ержан", "Айгүл", "Гүлнар", "Роза", "Сәуле", "Жұлдыз", "Дәурен"};
static const char *const kz_family[] = {"Сағынтаев", "Әбдірахманов", "Қасымов", "Жұмабаев", "Нұрғалиев", "Оспанов", "Тұрсынов", "Бекмұхамбетов", "Ысқақов", "Өтепов"};
static const char *const ru_given[] = {"Сергей", "Андрей", "Владимир", "Николай", "Алексей", "Ольга", "Наталья", "Татьяна"};
static const char *const ru_family[] = {"Иванов", "Ковалёв", "Петренко", "Соколов", "Морозов", "Васильев", "Фёдоров", "Ким"};

/* Valid-format but made-up national IDs. */
static void make_tckn(struct rng *r, char out[12])
{
	int d[11];
	d[0] = between(r, 1, 9);
	for (int i = 1; i < 9; i++)
		d[i] = between(r, 0, 9);
	int odd = d[0] + d[2] + d[4] + d[6] + d[8], even = d[1] + d[3] + d[5] + d[7];
	d[9] = ((odd * 7 - even) % 10 + 10) % 10;
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += d[i];
	d[10] = sum % 10;
	for (int i = 0; i < 11; i++)
		out[i] = (char)('0' + d[i]);
	out[11] = '\0';
}

static void make_iin(struct rng *r, int y, int m, int day, int female, char out[13])
{
	for (;;) {
		int d[12];
		d[0] = (y / 10) % 10, d[1] = y % 10, d[2] = m / 10, d[3] = m % 10, d[4] = day / 10, d[5] = day % 10;
		d[6] = y < 2000 ? (female ? 4 : 3) : (female ? 6 : 5);
		for (int i = 7; i < 11; i++)
			d[i] = between(r, 0, 9);
		int s = 0;
		for (int i = 0; i < 11; i++)
			s += d[i] * (i + 1);
		int c = s % 11;
		if (c == 10) {
			static const int w[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
			s = 0;
			for (int i = 0; i < 11; i++)
				s += d[i] * w[i];
			c = s % 11;
			if (c == 10)
				continue;
		}
		d[11] = c;
		for (int i = 0; i < 12; i++)
			out[i] = (char)('0' + d[i]);
		out[12] = '\0';
		return;
	}
}

static int create(struct fs_ctx *ctx, const char *entity, const struct fs_kv *kv, size_t n, int64_t *id,
		  struct fs_error *err)
{
	return fs_create(ctx, fs_entity_find(entity), kv, n, id, err);
}

#define KV(...) ((const struct fs_kv[]){__VA_ARGS__}), sizeof((const struct fs_kv[]){__VA_ARGS__}) / sizeof(struct fs_kv)

struct worker {
	const char *name;
	const char *nid;
	const char *birth;
	const char *phone;
	const char *address;
	int64_t workplace;
	const char *hired, *terminated, *reason, *wage, *benefits, *underground;
	const char *role;
};

static int add_worker(struct fs_ctx *ctx, int n, const struct worker *w, int64_t *ret_person, struct fs_error *err)
{
	char ext[24], wp[24], pid[24];
	snprintf(ext, sizeof(ext), "D-%05d", n);
	int64_t person = 0;
	int rc = create(ctx, "person", KV({"external_id", ext}, {"full_name", w->name}, {"national_id", w->nid},
					  {"birth_date", w->birth}, {"phone", w->phone}, {"address", w->address}),
			&person, err);
	if (rc)
		return rc;
	snprintf(wp, sizeof(wp), "%lld", (long long)w->workplace);
	snprintf(pid, sizeof(pid), "%lld", (long long)person);
	rc = create(ctx, "employment", KV({"person_id", pid}, {"workplace_id", wp}, {"hired", w->hired},
					  {"terminated", w->terminated}, {"termination_reason", w->reason},
					  {"wage", w->wage}, {"benefits", w->benefits}, {"underground", w->underground},
					  {"notice_served", "no"}),
		    NULL, err);
	if (!rc && w->role)
		rc = create(ctx, "membership", KV({"person_id", pid}, {"joined_on", w->hired}, {"role", w->role}), NULL, err);
	if (ret_person)
		*ret_person = person;
	return rc;
}

static int claim(struct fs_ctx *ctx, int64_t person, const char *kind, int64_t amount_minor, const char *doc,
		 struct fs_error *err)
{
	char pid[24], amount[32];
	snprintf(pid, sizeof(pid), "%lld", (long long)person);
	fs_money_format(amount_minor, 2, amount);
	return create(ctx, "claim", KV({"person_id", pid}, {"kind", kind}, {"amount", amount}, {"basis", "entered"},
				       {"document_ref", doc}, {"status", "filed"}, {"limitation_date", "2021-08-31"}), NULL, err);
}

static int pay(struct fs_ctx *ctx, int64_t person, const char *kind, const char *payer, const char *on, int64_t amount_minor,
	       int64_t promise, const char *key, struct fs_error *err)
{
	char pid[24], amount[32], prom[24];
	snprintf(pid, sizeof(pid), "%lld", (long long)person);
	snprintf(prom, sizeof(prom), "%lld", (long long)promise);
	fs_money_format(amount_minor, 2, amount);
	return create(ctx, "payment", KV({"person_id", pid}, {"payer_kind", kind}, {"payer_name", payer}, {"paid_on", on},
					 {"amount", amount}, {"promise_id", promise ? prom : NULL}, {"idempotency_key", key}),
		      NULL, err);
}

/* The watch of the closed mine: computed claims, unpaid wages and injuries from
 * documents, the ministry's promise "in two months", and what has been paid. */
static int mine_claims(struct fs_ctx *ctx, struct rng *r, int64_t mine, const int64_t *people, const int64_t *wages,
		       int n, struct fs_error *err)
{
	json_t *rep = NULL;
	struct fs_compute_opts o = {.workplace_id = mine, .as_of = fs_date_today()};
	int rc = fs_claims_compute(ctx, &o, &rep, err);
	json_decref(rep);
	char mine_s[24];
	snprintf(mine_s, sizeof(mine_s), "%lld", (long long)mine);
	int64_t ministry = 0, employer = 0;
	if (!rc)
		rc = create(ctx, "promise", KV({"promisor_kind", "ministry"}, {"promisor_name", "Ministry of Labour (demo)"},
					      {"workplace_id", mine_s}, {"kinds", "severance,notice"}, {"made_on", "2011-09-15"},
					      {"due_on", "2011-11-15"}, {"document_ref", "Minister's statement to the press, 2011-09-15"}),
			    &ministry, err);
	if (!rc)
		rc = create(ctx, "promise", KV({"promisor_kind", "employer"}, {"promisor_name", "Karadere Kömür İşletmeleri A.Ş. (demo)"},
					      {"workplace_id", mine_s}, {"kinds", "unpaid_wages"}, {"made_on", "2011-09-01"},
					      {"due_on", "2011-10-31"}, {"document_ref", "Letter to the union, 2011-09-01"}),
			    &employer, err);
	int paid_gf = 0, paid_min = 0;
	for (int i = 0; i < n && !rc; i++) {
		char key[40];
		if (i % 4 == 1) { /* one to three months of unpaid wages */
			int64_t owed = wages[i] * between(r, 1, 3);
			rc = claim(ctx, people[i], "unpaid_wages", owed, "Payroll ledger, June-August 2011 (demo)", err);
			if (!rc && paid_gf++ < 120) { /* the wage guarantee fund paid part of them */
				snprintf(key, sizeof(key), "demo-gf-%lld", (long long)people[i]);
				rc = pay(ctx, people[i], "guarantee_fund", "Wage Guarantee Fund (demo)", "2012-04-16", owed, 0, key, err);
			}
		}
		if (!rc && i % 75 == 3)
			rc = claim(ctx, people[i], "injury", (int64_t)between(r, 25000, 90000) * 100,
				   "Court file Karadere 2012/ (demo)", err);
		if (!rc && i % 3 == 0 && paid_min++ < 200) { /* the ministry paid an advance to some */
			snprintf(key, sizeof(key), "demo-min-%lld", (long long)people[i]);
			rc = pay(ctx, people[i], "ministry", "Ministry of Labour (demo)", "2013-06-03", 500000, ministry, key, err);
		}
	}
	return rc;
}

static void date_str(fs_date d, char out[11])
{
	fs_date_format(d, out);
}

static int miners(struct fs_ctx *ctx, struct rng *r, struct fs_error *err)
{
	int64_t org, employer, mine, plant;
	int rc = create(ctx, "organization", KV({"slug", "miners"}, {"name", "Karadere Maden İşçileri Sendikası (demo)"},
						{"country", "TR"}, {"currency", "TRY"}), &org, err);
	if (rc || (rc = fs_use_org(ctx, "miners", err)))
		return rc;
	if ((rc = create(ctx, "employer", KV({"name", "Karadere Kömür İşletmeleri A.Ş. (demo)"}, {"country", "TR"},
					     {"tax_id", "0000000001"}), &employer, err)))
		return rc;
	char emp[24];
	snprintf(emp, sizeof(emp), "%lld", (long long)employer);
	if ((rc = create(ctx, "workplace", KV({"employer_id", emp}, {"name", "Karadere Kömür Ocağı"}, {"city", "Karadere"},
					      {"kind", "mine"}), &mine, err)) ||
	    (rc = create(ctx, "workplace", KV({"employer_id", emp}, {"name", "Yeşilköy Lavvar Tesisi"}, {"city", "Yeşilköy"},
					      {"kind", "plant"}), &plant, err)))
		return rc;
	const fs_date closed = fs_date_from_ymd(2011, 8, 31);
	const fs_date first = fs_date_from_ymd(1990, 1, 2), last = fs_date_from_ymd(2011, 8, 1);
	const fs_date recent = fs_date_from_ymd(2010, 9, 15);
	static int64_t people[748], wages[748];
	for (int i = 1; i <= 748 + 60 && !rc; i++) {
		int at_mine = i <= 748;
		int female = !at_mine && between(r, 0, 3) == 0;
		char name[160], nid[12], birth[11], phone[32], address[120], hired[11], wage[24], benefits[24];
		snprintf(name, sizeof(name), "%s %s", female ? PICK(r, tr_female) : PICK(r, tr_male), PICK(r, tr_family));
		make_tckn(r, nid);
		/* 12 of the miners were hired within a year of the closure */
		fs_date h = at_mine && i % 62 == 0 ? recent + between(r, 0, 300) : first + between(r, 0, last - first);
		if (!at_mine)
			h = first + between(r, 0, fs_date_from_ymd(2024, 1, 1) - first);
		date_str(h, hired);
		int by, bm, bd;
		fs_date_to_ymd(h, &by, &bm, &bd);
		date_str(fs_date_from_ymd(by - between(r, 19, 35), between(r, 1, 12), between(r, 1, 28)), birth);
		snprintf(phone, sizeof(phone), "+90 555 0%02d %02d %02d", between(r, 0, 99), between(r, 0, 99), between(r, 0, 99));
		snprintf(address, sizeof(address), "Demo Mah. %d. Sokak No: %d, Karadere", between(r, 1, 40), between(r, 1, 120));
		/* 2011 wages: gross 1,100-2,800 TRY, benefits 150-450 TRY */
		snprintf(wage, sizeof(wage), "%d.%02d", between(r, 1100, 2800), between(r, 0, 99));
		snprintf(benefits, sizeof(benefits), "%d.00", between(r, 15, 45) * 10);
		char closed_s[11];
		date_str(closed, closed_s);
		struct worker w = {name, nid, birth, phone, address, at_mine ? mine : plant, hired,
				   at_mine ? closed_s : NULL, at_mine ? "closure" : NULL, wage, benefits,
				   at_mine && between(r, 0, 99) < 65 ? "yes" : "no",
				   i % 25 == 0 ? "shop_steward" : "member"};
		int64_t person = 0;
		rc = add_worker(ctx, i, &w, &person, err);
		if (at_mine) {
			struct fs_error ignore;
			people[i - 1] = person;
			fs_money_parse(wage, 2, &wages[i - 1], &ignore, "wage");
		}
	}
	(void)org;
	return rc ? rc : mine_claims(ctx, r, mine, people, wages, 748, err);
}

static int oil(struct fs_ctx *ctx, struct rng *r, struct fs_error *err)
{
	int64_t employer, field;
	int rc = create(ctx, "organization", KV({"slug", "oil"}, {"name", "Қаратау мұнайшылары кәсіподағы (demo)"},
						{"country", "KZ"}, {"currency", "KZT"}), NULL, err);
	if (rc || (rc = fs_use_org(ctx, "oil", err)))
		return rc;
	if ((rc = create(ctx, "employer", KV({"name", "«Қаратау Мұнай Газ» АҚ (demo)"}, {"country", "KZ"}), &employer, err)))
		return rc;
	char emp[24];
	snprintf(emp, sizeof(emp), "%lld", (long long)employer);
	if ((rc = create(ctx, "workplace", KV({"employer_id", emp}, {"name", "Қаратау кен орны"}, {"city", "Қаратау"},
					      {"kind", "field"}), &field, err)))
		return rc;
	for (int i = 1; i <= 150 && !rc; i++) {
		int kazakh = between(r, 0, 3) != 0;
		const char *given = kazakh ? PICK(r, kz_given) : PICK(r, ru_given);
		const char *family = kazakh ? PICK(r, kz_family) : PICK(r, ru_family);
		int female = (strcmp(given, "Айгүл") == 0 || strcmp(given, "Гүлнар") == 0 ||
							  strcmp(given, "Сәуле") == 0 || strcmp(given, "Жұлдыз") == 0 ||
							  strcmp(given, "Ольга") == 0 || strcmp(given, "Наталья") == 0 ||
							  strcmp(given, "Татьяна") == 0 || strcmp(given, "Роза") == 0);
		char name[160], nid[13], birth[11], phone[32], address[120], hired[11], term[11], wage[24];
		/* Russian-style feminine family names: Иванов -> Иванова */
		size_t fl = strlen(family);
		int add_a = female && fl > 4 && (strcmp(family + fl - 4, "ов") == 0 || strcmp(family + fl - 4, "ев") == 0 ||
						 strcmp(family + fl - 4, "ёв") == 0);
		snprintf(name, sizeof(name), "%s %s%s", given, family, add_a ? "а" : "");
		int by = between(r, 1960, 1990), bm = between(r, 1, 12), bd = between(r, 1, 28);
		make_iin(r, by, bm, bd, female, nid);
		date_str(fs_date_from_ymd(by, bm, bd), birth);
		fs_date h = fs_date_from_ymd(2000, 1, 10) + between(r, 0, 4000);
		date_str(h, hired);
		int terminated = i % 3 == 0;
		date_str(fs_date_from_ymd(2011, 12, between(r, 1, 20)), term);
		snprintf(phone, sizeof(phone), "+7 700 0%02d %02d %02d", between(r, 0, 99), between(r, 0, 99), between(r, 0, 99));
		snprintf(address, sizeof(address), "Қаратау, %d шағын аудан, %d үй", between(r, 1, 12), between(r, 1, 60));
		snprintf(wage, sizeof(wage), "%d000.00", between(r, 180, 450));
		struct worker w = {name, nid, birth, phone, address, field, hired, terminated ? term : NULL,
				   terminated ? "staff_reduction" : NULL, wage, NULL, "no", "member"};
		rc = add_worker(ctx, 10000 + i, &w, NULL, err);
	}
	return rc;
}

/* The record: a shooting at the oil field's strike, documented by several
 * sources - two reports name the same victim in different scripts - and the
 * detentions of the next day. Every name is made up. */
static int shooting(struct fs_ctx *ctx, struct fs_error *err)
{
	static const char *const victims[] = {"Жанболат Қасымов", "Zhanbolat Kasymov", "Ерлан Оспанов", "Марат Ахметов",
					      "Айгүл Серікова", "Нұрлан Беков", "Dana Nurlanova"};
	char pid[8][24];
	int rc = 0;
	for (size_t i = 0; i < 7 && !rc; i++) {
		int64_t id;
		rc = create(ctx, "person", KV({"full_name", victims[i]}, {"birth_date", i < 2 ? "1985-03-02" : NULL},
					       {"birth_place", i == 0 ? "Жаңаөзен" : i == 1 ? "Zhanaozen" : NULL}), &id, err);
		snprintf(pid[i], sizeof(pid[i]), "%lld", (long long)id);
	}
	int64_t shot = 0, arrests = 0, v, strike = 0;
	char first_injury[24] = "0";
	char inc[24], inc2[24], vid[24], sid[24];
	if (!rc)
		rc = create(ctx, "action", KV({"kind", "strike"}, {"title", "Қаратау мұнайшыларының ереуілі"}, {"started_on", "2011-05-26"},
					      {"ended_on", "2011-12-16"}, {"place", "Қаратау"}, {"region", "Маңғыстау"},
					      {"participants_low", "2000"}, {"participants_high", "3500"}, {"handling", "public"},
					      {"organizations", "oil workers' union (demo)"},
					      {"summary", "Oil workers strike for the regional wage coefficient and an independent union."}),
			    &strike, err);
	snprintf(sid, sizeof(sid), "%lld", (long long)strike);
	static const char *const strike_demands[][3] = {
		{"The regional wage coefficient for all oil workers", "lost", "2011-12-16"},
		{"Reinstate every worker dismissed for the strike", "partly_won", "2012-03-01"},
		{"Recognise the independent union", "pending", NULL},
	};
	for (size_t i = 0; !rc && i < 3; i++)
		rc = create(ctx, "demand", KV({"action_id", sid}, {"text", strike_demands[i][0]}, {"status", strike_demands[i][1]},
					      {"outcome_on", strike_demands[i][2]}, {"handling", "public"}), NULL, err);
	if (!rc)
		rc = create(ctx, "incident", KV({"type", "excessive_force"}, {"started_on", "2011-12-16"}, {"place", "Қаратау, алаң"},
						{"region", "Маңғыстау"}, {"handling", "public"}, {"action_id", sid},
						{"summary", "Police opened fire on striking oil workers and their families in the square."}),
			    &shot, err);
	if (!rc)
		rc = create(ctx, "incident", KV({"type", "mass_arrest"}, {"started_on", "2011-12-17"}, {"place", "Қаратау"},
						{"region", "Маңғыстау"}, {"handling", "public"}, {"action_id", sid}),
			    &arrests, err);
	snprintf(inc, sizeof(inc), "%lld", (long long)shot);
	snprintf(inc2, sizeof(inc2), "%lld", (long long)arrests);
	static const struct {
		int victim; /* index into victims, -1 = unnamed */
		const char *type, *low, *high, *level, *reason;
		int second;
	} acts[] = {
		{0, "extrajudicial_killing", NULL, NULL, "r3", "death certificate and autopsy report", 0},
		{1, "extrajudicial_killing", NULL, NULL, "r1", "a foreign journalist's report; the same man, Latin spelling", 0},
		{2, "extrajudicial_killing", NULL, NULL, "r2", "documenter's interview with the family; hospital record", 0},
		{3, "extrajudicial_killing", NULL, NULL, "r0", "one eyewitness, not yet checked", 0},
		{4, "injury", NULL, NULL, "r2", "medical certificate: firearm wound", 0},
		{-1, "injury", "30", "80", "r1", "hospital staff and two human-rights groups give different totals", 0},
		{2, "arbitrary_arrest", NULL, NULL, "xd", "shown false: he was killed the day before", 1},
		{5, "arbitrary_arrest", NULL, NULL, "r3", "court record of the detention", 1},
		{6, "arbitrary_arrest", NULL, NULL, "r1", "two co-workers saw her taken", 1},
		{5, "torture", NULL, NULL, "xc", "his account and the police report contradict each other", 1},
	};
	for (size_t i = 0; !rc && i < sizeof(acts) / sizeof(acts[0]); i++) {
		const char *in = acts[i].second ? inc2 : inc;
		if (acts[i].victim >= 0)
			rc = create(ctx, "violation", KV({"incident_id", in}, {"type", acts[i].type}, {"person_id", pid[acts[i].victim]},
							 {"handling", "public"},
							 {"method", acts[i].second ? NULL : "live ammunition"}), &v, err);
		else
			rc = create(ctx, "violation", KV({"incident_id", in}, {"type", acts[i].type}, {"victims_low", acts[i].low},
							 {"victims_high", acts[i].high}, {"handling", "public"},
							 {"method", "live ammunition"}), &v, err);
		snprintf(vid, sizeof(vid), "%lld", (long long)v);
		if (!strcmp(acts[i].type, "injury") && acts[i].victim < 0)
			snprintf(first_injury, sizeof(first_injury), "%s", vid);
		if (!rc)
			rc = create(ctx, "assessment", KV({"subject", "violation"}, {"subject_id", vid}, {"level", acts[i].level},
							  {"reason", acts[i].reason}, {"assessed_on", "2012-02-01"}), NULL, err);
	}
	/* the shooting as three sources told it */
	static const char *const reports[][7] = {
		{"2011-12-16", "phone", "eyewitness", "b", "2", "kk", "Алаңда полиция адамдарға оқ атты, үш адам қаза тапты."},
		{"2011-12-17", "in_person", "doctor", "a", "2", "ru", "В больницу доставлено более тридцати раненых, у многих огнестрельные ранения."},
		{"2011-12-18", "media", "official", "e", "4", "ru", "Полиция применила оружие в ответ на нападение толпы."},
	};
	for (size_t i = 0; !rc && i < sizeof(reports) / sizeof(reports[0]); i++) {
		int64_t rep;
		char rid[24];
		rc = create(ctx, "report", KV({"incident_id", inc}, {"received_on", reports[i][0]}, {"channel", reports[i][1]},
					      {"connection", reports[i][2]}, {"reliability", reports[i][3]}, {"credibility", reports[i][4]},
					      {"language", reports[i][5]}, {"text", reports[i][6]}, {"handling", i < 2 ? "internal" : "public"}),
			    &rep, err);
		snprintf(rid, sizeof(rid), "%lld", (long long)rep);
		if (!rc)
			rc = create(ctx, "citation", KV({"subject", "incident"}, {"subject_id", inc}, {"report_id", rid}), NULL, err);
		/* the eyewitness and the doctor both speak of the wounded: two sources */
		if (!rc && i < 2)
			rc = create(ctx, "citation", KV({"subject", "violation"}, {"subject_id", first_injury}, {"report_id", rid},
							{"note", i ? "more than thirty wounded" : "people shot in the square"}), NULL, err);
	}
	if (!rc)
		rc = create(ctx, "case", KV({"person_id", pid[5]}, {"incident_id", inc2}, {"charges", "art. 272: organising mass unrest"},
					    {"court", "Қаратау қалалық соты"}, {"custody_since", "2011-12-17"}, {"verdict", "convicted"},
					    {"verdict_on", "2012-06-04"}, {"sentence", "prison"}, {"sentence_months", "180"},
					    {"handling", "public"}), NULL, err);
	if (!rc)
		rc = create(ctx, "case", KV({"person_id", pid[6]}, {"incident_id", inc2}, {"charges", "art. 174: inciting discord"},
					    {"custody_since", "2011-12-17"}, {"verdict", "convicted"}, {"sentence", "restricted_freedom"},
					    {"released_on", "2012-06-04"}, {"handling", "public"}), NULL, err);
	return rc;
}

/* A march of 18 stages from the oil town to the capital, stopped twice by the
 * police: detentions along the way, one man's whereabouts unknown for days.
 * Places and names are made up. */
static int march(struct fs_ctx *ctx, struct fs_error *err)
{
	static const char *const towns[19] = {"Қаратау", "Шетпе", "Бейнеу", "Сай-Өтес", "Қарақұдық", "Шалқар", "Ырғыз",
		"Торғай", "Арқалық", "Есіл", "Державинск", "Жақсы", "Атбасар", "Астрахан", "Қоянды", "Көкпекті", "Қабанбай",
		"Жаңажол", "Астана"};
	static const char *const marchers[] = {"Серік Жұмабаев", "Гүлнар Әлиева", "Тимур Сағынтаев", "Бауыржан Омаров",
					       "Ольга Ким"};
	int64_t act, id, stage[19] = {0};
	char aid[24], buf[24], pid[5][24];
	int rc = create(ctx, "action", KV({"kind", "march"}, {"title", "Астанаға марш"}, {"started_on", "2012-03-01"},
					  {"ended_on", "2012-03-18"}, {"region", "Маңғыстау - Ақмола"}, {"participants_low", "120"},
					  {"participants_high", "300"}, {"organizations", "oil workers' union (demo)"}, {"handling", "public"},
					  {"summary", "Dismissed oil workers walk to the capital to hand their demands to parliament."}),
			&act, err);
	snprintf(aid, sizeof(aid), "%lld", (long long)act);
	for (int i = 1; i <= 18 && !rc; i++) {
		char num[8], on[11], lo[8];
		snprintf(num, sizeof(num), "%d", i);
		snprintf(on, sizeof(on), "2012-03-%02d", i);
		snprintf(lo, sizeof(lo), "%d", i < 7 ? 120 + 10 * i : i < 15 ? 90 : 60);
		rc = create(ctx, "stage", KV({"action_id", aid}, {"number", num}, {"held_on", on}, {"from_place", towns[i - 1]},
					     {"to_place", towns[i]}, {"participants_low", lo}, {"handling", "public"},
					     {"note", i == 7 ? "police stop the march at the district border" :
						      i == 15 ? "the march is dispersed at night; two marchers taken" : NULL}),
			    &stage[i], err);
	}
	static const char *const demands[][3] = {
		{"Pay the severance owed to the dismissed oil workers", "partly_won", "2012-05-02"},
		{"Release the strikers in custody", "lost", "2012-06-04"},
		{"An independent inquiry into the shooting of 16 December", "pending", NULL},
	};
	for (size_t i = 0; !rc && i < 3; i++)
		rc = create(ctx, "demand", KV({"action_id", aid}, {"text", demands[i][0]}, {"status", demands[i][1]},
					      {"outcome_on", demands[i][2]}, {"handling", "public"}), NULL, err);
	for (size_t i = 0; i < 5 && !rc; i++) {
		rc = create(ctx, "person", KV({"full_name", marchers[i]}), &id, err);
		snprintf(pid[i], sizeof(pid[i]), "%lld", (long long)id);
	}
	/* stage 7: three held overnight; stage 15: two more, one held incommunicado */
	static const struct {
		int stage, who;
		const char *at, *where, *since, *released, *kind;
	} held[] = {
		{7, 0, "2012-03-07T10:30", "acknowledged", "2012-03-07T16:00", "2012-03-08T18:00", "released"},
		{7, 1, "2012-03-07T10:30", "acknowledged", "2012-03-07T16:00", "2012-03-08T18:00", "released"},
		{7, 2, "2012-03-07T10:45", "acknowledged", "2012-03-07T16:00", "2012-03-09T12:00", "fine_paid"},
		{15, 3, "2012-03-15T23:10", "disclosed", "2012-03-19T09:00", "2012-04-02T10:00", "bail"},
		{15, 4, "2012-03-15T23:10", "acknowledged", "2012-03-16T08:00", "2012-03-16T20:00", "released"},
	};
	int64_t inc[19] = {0};
	for (size_t i = 0; !rc && i < sizeof(held) / sizeof(held[0]); i++) {
		int s = held[i].stage;
		char st[24], on[11], in[24], v[24];
		snprintf(st, sizeof(st), "%lld", (long long)stage[s]);
		snprintf(on, sizeof(on), "2012-03-%02d", s);
		if (!inc[s])
			rc = create(ctx, "incident", KV({"type", "mass_arrest"}, {"started_on", on}, {"place", towns[s]},
							{"handling", "public"}, {"stage_id", st},
							{"summary", s == 7 ? "Police detain marchers at the district border." :
									     "Night raid on the marchers' camp."}),
				    &inc[s], err);
		snprintf(in, sizeof(in), "%lld", (long long)inc[s]);
		if (!rc)
			rc = create(ctx, "detention", KV({"person_id", pid[held[i].who]}, {"incident_id", in}, {"arrested_at", held[i].at},
							 {"arresting_body", "district police"}, {"whereabouts", held[i].where},
							 {"whereabouts_since", held[i].since}, {"lawyer_access", s == 7 ? "yes" : "no"},
							 {"released_at", held[i].released}, {"release_kind", held[i].kind},
							 {"handling", "public"}), NULL, err);
		if (!rc)
			rc = create(ctx, "violation", KV({"incident_id", in}, {"type", held[i].who == 3 ? "incommunicado_detention" : "arbitrary_arrest"},
							 {"person_id", pid[held[i].who]}, {"occurred_on", on}, {"handling", "public"}), &id, err);
		snprintf(v, sizeof(v), "%lld", (long long)id);
		if (!rc)
			rc = create(ctx, "assessment", KV({"subject", "violation"}, {"subject_id", v}, {"level", s == 7 ? "r2" : "r1"},
							  {"reason", s == 7 ? "documenter present; police protocol copy" :
									      "two marchers' accounts agree"}, {"assessed_on", "2012-04-10"}), NULL, err);
	}
	/* the case of the marcher held incommunicado, with its hearings */
	int64_t cs = 0;
	if (!rc)
		rc = create(ctx, "case", KV({"person_id", pid[3]}, {"incident_id", (snprintf(buf, sizeof(buf), "%lld", (long long)inc[15]), buf)},
					    {"charges", "art. 400: violating the procedure for assemblies"}, {"court", "Астана аудандық соты"},
					    {"custody_since", "2012-03-15"}, {"released_on", "2012-04-02"}, {"verdict", "convicted"},
					    {"verdict_on", "2012-05-20"}, {"sentence", "fine"}, {"handling", "public"}), &cs, err);
	snprintf(buf, sizeof(buf), "%lld", (long long)cs);
	static const char *const hearings[][4] = {{"2012-04-02", "preliminary", "released on bail", "2012-05-10"},
						  {"2012-05-10", "trial", "two marchers heard as witnesses", "2012-05-20"},
						  {"2012-05-20", "verdict", "fine of 100 monthly indices", NULL}};
	for (size_t i = 0; !rc && i < 3; i++)
		rc = create(ctx, "hearing", KV({"case_id", buf}, {"held_on", hearings[i][0]}, {"kind", hearings[i][1]},
					       {"outcome", hearings[i][2]}, {"next_on", hearings[i][3]}, {"handling", "public"}), NULL, err);
	return rc;
}

/* A seven-month strike: workers at three other sites give part of their wages
 * every month; fifteen strikers get strike pay every week. */
static int strike_fund(struct fs_ctx *ctx, struct rng *r, struct fs_error *err)
{
	int rc = fs_use_org(ctx, "miners", err);
	int64_t fund = 0, bank, cash, payroll, strike;
	if (!rc)
		rc = fs_fund_create(ctx, KV({"name", "Strike solidarity fund (demo)"}, {"approval_threshold", "20000"}), &fund, err);
	if (!rc)
		rc = fs_account_by_name(ctx, fund, "assets:bank", &bank, err) || fs_account_by_name(ctx, fund, "assets:cash", &cash, err) ||
		     fs_account_by_name(ctx, fund, "income:payroll", &payroll, err) || fs_account_by_name(ctx, fund, "expenses:strike-pay", &strike, err);
	/* each site pledged a monthly sum for the seven months */
	int64_t pledge[3] = {0};
	static const char *const pledge_labels[] = {"Soma site workers", "Zonguldak site workers", "Yatağan site workers"};
	static const char *const pledge_sums[] = {"6000", "5500", "5000"};
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)fund);
	for (int s = 0; s < 3 && !rc; s++)
		rc = create(ctx, "pledge", KV({"fund_id", fid}, {"label", pledge_labels[s]}, {"monthly", pledge_sums[s]},
					      {"start_month", "2012-01-01"}, {"end_month", "2012-07-31"}), &pledge[s], err);
	static char codes[3][32];
	for (int s = 0; s < 3; s++)
		snprintf(codes[s], sizeof(codes[s]), "pledge-%lld", (long long)pledge[s]);
	enum { MAXT = 1200 };
	static struct fs_transfer t[MAXT];
	static char ids[MAXT][40], dates[MAXT][11];
	static int res[MAXT];
	size_t n = 0;
	static const char *const sites[] = {"Soma site (demo)", "Zonguldak site (demo)", "Yatağan site (demo)"};
	for (int month = 0; month < 7 && !rc; month++)
		for (int s = 0; s < 3; s++)
			for (int w = 0; w < 40 && n < MAXT; w++, n++) {
				snprintf(ids[n], sizeof(ids[n]), "demo-pay-%d-%d-%d", month, s, w);
				snprintf(dates[n], sizeof(dates[n]), "2012-%02d-%02d", month + 1, 5 + s);
				t[n] = (struct fs_transfer){.id = ids[n], .debit_account = bank, .credit_account = payroll,
							    .amount_minor = (int64_t)between(r, 50, 250) * 100, .code = codes[s],
							    .value_date = dates[n], .memo = sites[s]};
			}
	/* the bank pays cash out for the weekly strike pay */
	for (int week = 0; week < 28 && n + 21 < MAXT && !rc; week++) {
		fs_date d = fs_date_from_ymd(2012, 1, 9) + week * 7;
		snprintf(ids[n], sizeof(ids[n]), "demo-cash-%d", week);
		fs_date_format(d, dates[n]);
		t[n] = (struct fs_transfer){.id = ids[n], .debit_account = cash, .credit_account = bank, .amount_minor = 15 * 20000,
					    .code = "withdrawal", .value_date = dates[n]};
		n++;
		for (int s = 0; s < 15; s++, n++) {
			snprintf(ids[n], sizeof(ids[n]), "demo-strike-%d-%d", week, s);
			fs_date_format(d, dates[n]);
			t[n] = (struct fs_transfer){.id = ids[n], .debit_account = strike, .credit_account = cash, .amount_minor = 20000,
						    .code = "strike-pay", .value_date = dates[n]};
		}
	}
	if (!rc)
		rc = fs_ledger_transfer(ctx, fund, t, n, res, err);
	ctx->org_id = 0;
	return rc;
}

int fs_demo(struct fs_ctx *ctx, struct fs_error *err)
{
	const struct fs_entity *oe = fs_entity_find("organization");
	int64_t n = 0;
	struct fs_query q = {.table = &oe->table};
	int rc = fs_store_count(ctx->st, &q, &n, err);
	if (rc)
		return rc;
	if (n)
		return fs_fail(err, FS_ECONFLICT, NULL, "the database has data already; the demo goes into a new one");
	char saved[FS_ACTOR_MAX];
	snprintf(saved, sizeof(saved), "%s", ctx->actor);
	fs_set_actor(ctx, "demo");
	struct rng r = {0x5eed2011u};
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	rc = miners(ctx, &r, err);
	if (!rc)
		rc = oil(ctx, &r, err);
	if (!rc)
		rc = shooting(ctx, err);
	if (!rc)
		rc = march(ctx, err);
	if (!rc)
		rc = strike_fund(ctx, &r, err);
	/* demo accounts, all with the password "fairshare-demo" */
	static const char *const accounts[][3] = {{"admin", "miners", "admin"}, {"admin", "oil", "admin"},
						  {"organizer", "miners", "organizer"}, {"treasurer", "miners", "treasurer"},
						  {"viewer", "miners", "viewer"}};
	for (size_t i = 0; !rc && i < sizeof(accounts) / sizeof(accounts[0]); i++) {
		int64_t id;
		if (fs_user_id(ctx, accounts[i][0], &id, NULL))
			rc = fs_user_add(ctx, accounts[i][0], "fairshare-demo", NULL, err);
		if (!rc)
			rc = fs_use_org(ctx, accounts[i][1], err);
		if (!rc)
			rc = fs_user_grant(ctx, accounts[i][0], accounts[i][2], err);
	}
	rc = fs_tx_end(ctx, rc, err);
	fs_set_actor(ctx, saved);
	ctx->org_id = 0;
	return rc;
}
