// SPDX-License-Identifier: GPL-2.0
/*
 * The source tree's layering: no folder under src/ includes a header of a
 * folder that, directly or through others, includes it back. Folders are the
 * directories holding the files; `#include "a/b/c.h"` is an edge from the
 * including file's folder to src/a/b. Includes that name no folder (system
 * headers, generated skeletons, "nettrace.h") are not edges.
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include "common.h"

#pragma GCC diagnostic ignored "-Wformat-truncation" /* paths are short here */

#define MAX_DIRS  128
#define MAX_PATH_ 512

struct graph {
	char dirs[MAX_DIRS][128]; /* relative to the root, "" for the root itself */
	size_t n;
	bool edge[MAX_DIRS][MAX_DIRS];
	char why[MAX_DIRS][MAX_DIRS][160]; /* the first include that made each edge */
};

static int dir_index(struct graph *g, const char *dir)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!strcmp(g->dirs[i], dir))
			return (int)i;
	assert_true(g->n < MAX_DIRS);
	snprintf(g->dirs[g->n], sizeof(g->dirs[0]), "%s", dir);
	return (int)g->n++;
}

static bool is_dir(const char *root, const char *rel)
{
	char path[MAX_PATH_];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static void scan_file(struct graph *g, const char *root, const char *reldir, const char *relfile)
{
	char path[MAX_PATH_], line[512], target[256], *slash;
	int from, to;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, relfile);
	f = fopen(path, "r");
	assert_non_null(f);
	from = dir_index(g, reldir);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " #include \"%255[^\"]\"", target) != 1)
			continue;
		slash = strrchr(target, '/');
		if (!slash)
			continue;
		*slash = '\0';
		if (!is_dir(root, target) || !strcmp(target, reldir))
			continue;
		to = dir_index(g, target);
		if (!g->edge[from][to]) {
			g->edge[from][to] = true;
			snprintf(g->why[from][to], sizeof(g->why[0][0]), "%s includes %s/%s", relfile,
				 target, slash + 1);
		}
	}
	fclose(f);
}

static void scan_dir(struct graph *g, const char *root, const char *reldir)
{
	char rel[MAX_PATH_], path[MAX_PATH_];
	struct dirent *d;
	size_t len;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s", root, reldir);
	dir = opendir(path);
	assert_non_null(dir);
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s%s%s", reldir, *reldir ? "/" : "", d->d_name);
		if (is_dir(root, rel)) {
			scan_dir(g, root, rel);
			continue;
		}
		len = strlen(d->d_name);
		if (len > 2 && d->d_name[len - 2] == '.' &&
		    (d->d_name[len - 1] == 'c' || d->d_name[len - 1] == 'h'))
			scan_file(g, root, reldir, rel);
	}
	closedir(dir);
}

/* Depth-first search for a cycle; writes it, edge by edge, into @out. */
static bool find_cycle(const struct graph *g, char *out, size_t len)
{
	int color[MAX_DIRS] = {}, parent[MAX_DIRS], stack[MAX_DIRS], next[MAX_DIRS];
	size_t s, n = g->n, off;
	int top, u, v, w;

	for (s = 0; s < n; s++) {
		if (color[s])
			continue;
		top = 0;
		stack[top] = (int)s;
		next[top] = 0;
		color[s] = 1;
		parent[s] = -1;
		while (top >= 0) {
			u = stack[top];
			for (v = next[top]; v < (int)n && !g->edge[u][v]; v++)
				;
			if (v == (int)n) {
				color[u] = 2;
				top--;
				continue;
			}
			next[top] = v + 1;
			if (color[v] == 1) {
				off = (size_t)snprintf(out, len, "%s", g->why[u][v]);
				for (w = u; w != v && parent[w] >= 0 && off < len; w = parent[w])
					off += (size_t)snprintf(out + off, len - off, "; %s",
								g->why[parent[w]][w]);
				return true;
			}
			if (!color[v]) {
				color[v] = 1;
				parent[v] = u;
				top++;
				stack[top] = v;
				next[top] = 0;
			}
		}
	}
	return false;
}

static struct graph *graph_of(const char *root)
{
	struct graph *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	scan_dir(g, root, "");
	return g;
}

static void write_file(const char *root, const char *rel, const char *text)
{
	char path[MAX_PATH_];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_tree(char *root, bool cycle)
{
	char path[MAX_PATH_];

	snprintf(root, MAX_PATH_, "/tmp/nt-layout-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/a", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/b", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/c", root);
	assert_int_equal(mkdir(path, 0755), 0);
	write_file(root, "a/a.c", "#include <stdio.h>\n#include \"b/b.h\"\n#include \"a/a.h\"\n");
	write_file(root, "a/a.h", "#include \"nettrace.h\"\n");
	write_file(root, "b/b.h", "#include \"c/c.h\"\n");
	write_file(root, "c/c.h", cycle ? "  #include \"a/a.h\"\n" : "#include \"x.skel.h\"\n");
}

static void remove_tree(const char *root)
{
	static const char *const files[] = { "a/a.c", "a/a.h", "b/b.h", "c/c.h", "a", "b", "c" };
	char path[MAX_PATH_];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		remove(path);
	}
	rmdir(root);
}

/* The checker sees a cycle through three folders, and names the includes. */
static void test_cycle_found(void **state)
{
	char root[MAX_PATH_], why[1024];
	struct graph *g;

	(void)state;
	make_tree(root, true);
	g = graph_of(root);
	assert_true(find_cycle(g, why, sizeof(why)));
	assert_contains(why, "c/c.h includes a/a.h");
	assert_contains(why, "a/a.c includes b/b.h");
	assert_contains(why, "b/b.h includes c/c.h");
	free(g);
	remove_tree(root);
}

/* A chain a -> b -> c is no cycle, and an include of one's own folder is no edge. */
static void test_chain_is_fine(void **state)
{
	char root[MAX_PATH_], why[1024] = "";
	struct graph *g;

	(void)state;
	make_tree(root, false);
	g = graph_of(root);
	assert_false(find_cycle(g, why, sizeof(why)));
	free(g);
	remove_tree(root);
}

/* The real tree: run from the repository's root, as make unit does. */
static void test_src_has_no_cycle(void **state)
{
	char why[4096] = "";
	struct graph *g;
	bool cycle;

	(void)state;
	g = graph_of("src");
	assert_true(g->n > 5);
	cycle = find_cycle(g, why, sizeof(why));
	if (cycle)
		fail_msg("include cycle between folders: %s", why);
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycle_found),
		cmocka_unit_test(test_chain_is_fine),
		cmocka_unit_test(test_src_has_no_cycle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
