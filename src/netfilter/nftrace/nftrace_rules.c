// SPDX-License-Identifier: GPL-2.0
/*
 * Rule texts and base-chain hooks, from the text of `nft -a -s list table`:
 *
 *	table inet filter { # handle 5
 *		chain forward { # handle 1
 *			type filter hook forward priority filter; policy accept;
 *			udp dport 7777 drop # handle 2
 *		}
 *	}
 *
 * kept in a hash keyed by (family, table, chain, handle); handle 0 holds the
 * chain itself (its hook). Plain text parsing: no library needed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netfilter/nftrace/nftrace.h"

#define NBUCKETS 1024
#define MAX_TABLES 256

struct entry {
	struct entry *next;
	__u64 handle; /* 0: the chain itself */
	int family;
	int hook; /* chain entries: hook number or -1 */
	char *table, *chain, *text;
};

struct listed {
	int family;
	int count;
	char name[64];
};

struct nt_nft_rules {
	struct entry *bucket[NBUCKETS];
	struct listed tables[MAX_TABLES];
	int ntables;
};

static unsigned int hash(int family, const char *table, const char *chain, __u64 handle)
{
	unsigned int h = 2166136261u ^ (unsigned int)family;
	const char *s;

	for (s = table; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (s = chain; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h ^= (unsigned int)handle ^ (unsigned int)(handle >> 32);
	h *= 16777619u;
	return h % NBUCKETS;
}

struct nt_nft_rules *nt_nft_rules_new(void)
{
	return calloc(1, sizeof(struct nt_nft_rules));
}

void nt_nft_rules_clear(struct nt_nft_rules *r)
{
	struct entry *e, *next;
	int i;

	for (i = 0; i < NBUCKETS; i++) {
		for (e = r->bucket[i]; e; e = next) {
			next = e->next;
			free(e->table);
			free(e->chain);
			free(e->text);
			free(e);
		}
		r->bucket[i] = NULL;
	}
	r->ntables = 0;
}

void nt_nft_rules_free(struct nt_nft_rules *r)
{
	if (!r)
		return;
	nt_nft_rules_clear(r);
	free(r);
}

static struct entry *lookup(const struct nt_nft_rules *r, int family, const char *table,
			    const char *chain, __u64 handle)
{
	struct entry *e;

	for (e = r->bucket[hash(family, table, chain, handle)]; e; e = e->next)
		if (e->handle == handle && e->family == family && !strcmp(e->table, table) &&
		    !strcmp(e->chain, chain))
			return e;
	return NULL;
}

/*
 * A copy of the rule text with runs of spaces outside quotes made one (nft
 * prints "udp dport 7778  counter" for iptables-nft rules with a comment).
 */
static char *squeeze(const char *text, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	bool quoted = false;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (text[i] == '"')
			quoted = !quoted;
		if (text[i] == ' ' && !quoted && o > out && o[-1] == ' ')
			continue;
		*o++ = text[i];
	}
	*o = '\0';
	return out;
}

static void put(struct nt_nft_rules *r, int family, const char *table, const char *chain,
		__u64 handle, int hook, const char *text, size_t textlen)
{
	struct entry *e = lookup(r, family, table, chain, handle);
	unsigned int h;

	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return;
		e->table = strdup(table);
		e->chain = strdup(chain);
		if (!e->table || !e->chain) {
			free(e->table);
			free(e->chain);
			free(e);
			return;
		}
		e->family = family;
		e->handle = handle;
		h = hash(family, table, chain, handle);
		e->next = r->bucket[h];
		r->bucket[h] = e;
	}
	e->hook = hook;
	free(e->text);
	e->text = text ? squeeze(text, textlen) : NULL;
}

static struct listed *find_table(const struct nt_nft_rules *r, int family, const char *table)
{
	int i;

	for (i = 0; i < r->ntables; i++)
		if (r->tables[i].family == family && !strcmp(r->tables[i].name, table))
			return (struct listed *)&r->tables[i];
	return NULL;
}

int nt_nft_rules_listed(const struct nt_nft_rules *r, int family, const char *table)
{
	const struct listed *l = find_table(r, family, table);

	return l ? l->count : 0;
}

/* The chain name of a line "chain NAME {", quotes removed. */
static void chain_name(const char *line, char *out, size_t len)
{
	const char *s = line + strlen("chain "), *end = strrchr(s, '{');
	size_t n;

	while (end && end > s && isspace((unsigned char)end[-1]))
		end--;
	if (!end)
		end = s + strlen(s);
	if (end - s >= 2 && *s == '"' && end[-1] == '"') {
		s++;
		end--;
	}
	n = (size_t)(end - s) < len - 1 ? (size_t)(end - s) : len - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

void nt_nft_rules_add_listing(struct nt_nft_rules *r, int family, const char *table,
			      const char *text)
{
	struct listed *l = find_table(r, family, table);
	char chain[256] = "";
	const char *line, *eol, *mark, *h;
	bool in_chain = false;
	int depth = 0;

	if (!l && r->ntables < MAX_TABLES) {
		l = &r->tables[r->ntables++];
		l->family = family;
		l->count = 0;
		strncpy(l->name, table, sizeof(l->name) - 1);
		l->name[sizeof(l->name) - 1] = '\0';
	}
	if (l)
		l->count++;
	for (line = text; line && *line; line = *eol ? eol + 1 : eol) {
		size_t len;

		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		while (line < eol && isspace((unsigned char)*line))
			line++;
		len = (size_t)(eol - line);
		while (len && isspace((unsigned char)line[len - 1]))
			len--;
		if (!len)
			continue;
		if (!in_chain) {
			/* A block: the table (depth 0 -> 1), then chains, sets, ... at depth 1. */
			if (depth == 1 && !strncmp(line, "chain ", 6)) {
				char tmp[512];

				snprintf(tmp, sizeof(tmp), "%.*s", (int)len, line);
				mark = strstr(tmp, " # handle ");
				if (mark)
					tmp[mark - tmp] = '\0';
				chain_name(tmp, chain, sizeof(chain));
				in_chain = true;
				put(r, family, table, chain, 0, -1, NULL, 0);
			} else {
				size_t i;

				for (i = 0; i < len; i++)
					depth += line[i] == '{' ? 1 : line[i] == '}' ? -1 : 0;
				if (depth < 0)
					depth = 0;
			}
			continue;
		}
		if (len == 1 && *line == '}') {
			in_chain = false;
			continue;
		}
		if (!strncmp(line, "type ", 5) && (h = strstr(line, " hook ")) && h < line + len) {
			char hook[32];
			size_t n = strcspn(h + 6, " ;\n");

			snprintf(hook, sizeof(hook), "%.*s", (int)(n < 31 ? n : 31), h + 6);
			put(r, family, table, chain, 0, nt_nft_hook_number(family, hook), NULL, 0);
			continue;
		}
		/* A rule: "... # handle N" at the end of the line. */
		for (mark = NULL, h = line; (h = strstr(h, " # handle ")) && h < line + len; h++)
			mark = h;
		if (mark) {
			char *end;
			unsigned long long handle = strtoull(mark + 10, &end, 10);

			if (end == line + len && handle)
				put(r, family, table, chain, handle, -1, line, (size_t)(mark - line));
		}
	}
}

const char *nt_nft_rules_find(const struct nt_nft_rules *r, int family, const char *table,
			      const char *chain, __u64 handle)
{
	const struct entry *e;

	if (!handle)
		return NULL;
	e = lookup(r, family, table, chain, handle);
	return e ? e->text : NULL;
}

int nt_nft_rules_hook(const struct nt_nft_rules *r, int family, const char *table,
		      const char *chain)
{
	const struct entry *e = lookup(r, family, table, chain, 0);

	return e ? e->hook : -2;
}
