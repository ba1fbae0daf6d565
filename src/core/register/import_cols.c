/* import_cols.c - the columns people import understands: fields, header aliases (Turkish, Russian, Kazakh). */
#include "internal.h"

#include <string.h>

#include "util/textin.h"
#include "util/utf8.h"
#include "import_cols.h"

/* Field names and their header aliases, already folded (see fs_utf8_fold) with
 * spaces and '-' as '_'. Employment columns start at "workplace". */
const struct fs_import_field fs_import_fields[FS_IMPORT_NFIELDS] = {
	{"fairshare_id", {"fairshare_id", NULL}}, /* matching only: the id export writes */
	{"external_id", {"external_id", "id", "worker_no", "register_no", "sicil_no", "sicil", "sicil_numarasi", "personel_no",
			 "табельныи_номер", "таб_номер", NULL}},
	{"full_name", {"full_name", "name", "ad_soyad", "adi_soyadi", "ad_soyadi", "isim", "isim_soyisim", "фио", "ф_и_о", "имя",
		       "полное_имя", "фио_работника", "аты_жони", "толык_аты_жони", "таа", NULL}},
	{"national_id", {"national_id", "tckn", "tc_kimlik_no", "tc_kimlik_numarasi", "tc_no", "tc", "iin", "иин", "жсн",
			 NULL}},
	{"birth_date", {"birth_date", "date_of_birth", "dob", "dogum_tarihi", "дата_рождения", "туган_куни", "туылган_куни",
			NULL}},
	{"phone", {"phone", "telephone", "telefon", "telefon_no", "telefon_numarasi", "tel", "телефон", "тел",
		   "номер_телефона", "телефон_номери", NULL}},
	{"address", {"address", "adres", "ikamet_adresi", "ev_adresi", "адрес", "адрес_проживания", "мекенжаи", "мекенжаиы",
		     "мекен_жаи", "мекен_жаиы", NULL}},
	{"birth_place", {"birth_place", "place_of_birth", "dogum_yeri", "место_рождения", "туган_жери", "туылган_жери", NULL}},
	{"workplace", {"workplace", "workplace_id", "isyeri", "is_yeri", "место_работы", "жумыс_орны", NULL}},
	{"job_title", {"job_title", "position", "gorev", "gorevi", "unvan", "должность", "лауазым", "лауазымы", NULL}},
	{"hired", {"hired", "hire_date", "ise_giris", "ise_giris_tarihi", "ise_baslama_tarihi", "giris_tarihi", "дата_приема",
		   "дата_приема_на_работу", "жумыска_кабылданган_куни", "кабылданган_куни", NULL}},
	{"terminated", {"terminated", "termination_date", "isten_cikis", "isten_cikis_tarihi", "cikis_tarihi",
			"дата_увольнения", "жумыстан_шыккан_куни", "шыккан_куни", NULL}},
	{"termination_reason", {"termination_reason", "reason", "cikis_nedeni", "isten_cikis_nedeni", "причина_увольнения",
				"шыгу_себеби", NULL}},
	{"wage", {"wage", "monthly_wage", "gross_wage", "ucret", "brut_ucret", "maas", "brut_maas", "зарплата",
		  "заработная_плата", "оклад", "жалакы", "жалакысы", NULL}},
	{"benefits", {"benefits", "yan_haklar", "надбавки", "устемакы", NULL}},
	{"currency", {"currency", "para_birimi", "валюта", "валютасы", NULL}},
	{"underground", {"underground", "yeralti", "подземныи", "жер_асты", NULL}},
	{"notice_served", {"notice_served", "ihbar_verildi", NULL}},
	{"accruals_12m", {"accruals_12m", "accruals", "начисления_12_мес", NULL}},
	{"days_worked_12m", {"days_worked_12m", "days_worked", "отработанные_дни", NULL}},
	{"unused_leave_days", {"unused_leave_days", "kullanilmayan_izin", "неиспользованныи_отпуск", NULL}},
};
_Static_assert(sizeof(fs_import_fields) / sizeof(fs_import_fields[0]) == FS_IMPORT_NFIELDS, "fields");
#define fields fs_import_fields
#define NFIELDS FS_IMPORT_NFIELDS

const char *const *fs_import_aliases(const char *field)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].field, field) == 0)
			return fields[i].aliases;
	return NULL;
}

/* Folded, dots dropped (Ф.И.О., T.C. Kimlik No), spaces and '-' as '_'. */
int import_normalize_header(const char *s, size_t n, struct fs_buf *out)
{
	fs_buf_reset(out);
	int rc = fs_utf8_fold(s, n, out);
	size_t w = 0;
	for (size_t i = 0; !rc && i < out->len; i++) {
		char c = out->data[i];
		if (c == '.')
			continue;
		out->data[w++] = c == ' ' || c == '-' ? '_' : c;
	}
	if (!rc && out->data) {
		while (w > 0 && out->data[w - 1] == '_')
			w--; /* "Ф. И. О." */
		out->len = w;
		out->data[w] = '\0';
	}
	return rc;
}

int import_field_by_name(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].field, name) == 0)
			return (int)i;
	return -1;
}

int import_field_by_alias(const char *norm)
{
	for (size_t i = 0; i < NFIELDS; i++)
		for (size_t k = 0; fields[i].aliases[k]; k++)
			if (strcmp(fields[i].aliases[k], norm) == 0)
				return (int)i;
	return -1;
}


int fs_import_separator(const char *name, char *sep, struct fs_error *err)
{
	static const struct {
		const char *name;
		char sep;
	} names[] = {{"auto", 0}, {"", 0}, {"comma", ','}, {",", ','}, {"semicolon", ';'}, {";", ';'}, {"tab", '\t'},
		     {"\t", '\t'}, {"\\t", '\t'}};
	if (!name) {
		*sep = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name)) {
			*sep = names[i].sep;
			return 0;
		}
	return fs_fail(err, FS_EINVAL, "separator", "unknown separator '%.20s': use auto, comma, semicolon or tab", name);
}

int fs_import_encoding(const char *name, struct fs_error *err)
{
	char buf[32];
	if (!name || !*name || !strcmp(name, "auto") || fs_textin_canonical(name, buf, sizeof(buf)))
		return 0;
	return fs_fail(err, FS_EINVAL, "encoding",
		       "unknown encoding '%.40s'; use e.g. utf-8, utf-16, windows-1254, windows-1251, iso-8859-9, koi8-r or "
		       "cp866", name);
}

