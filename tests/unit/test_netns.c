// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <ftw.h>
/*
 * The network-namespace helper (src/netns/): listing from a fake root laid
 * out like /proc and /run/netns, the machine's own list, and the failure
 * policy of coming back.
 */
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include "common.h"
#include "netns/netns.h"

/* A fake root: files/nsN stand for namespaces; the rest link to them. */
struct fake {
	char root[256];
	__u32 ino[6]; /* ino[i]: files/ns<i> */
};

static void mkdirs(const char *root, const char *rel)
{
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

/* root/@rel -> root/files/ns<ns>, its parent directories made. */
static void link_ns(struct fake *f, const char *rel, int ns)
{
	char path[PATH_MAX], target[PATH_MAX], dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	*slash = '\0';
	mkdirs(f->root, dir);
	snprintf(path, sizeof(path), "%s/%s", f->root, rel);
	snprintf(target, sizeof(target), "%s/files/ns%d", f->root, ns);
	assert_int_equal(symlink(target, path), 0);
}

static void write_file(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/*
 * self: ns0; pids 1 and 7: ns1, pid 9: ns2, "abc": ns3 (not a pid);
 * run/netns/blue: ns1, run/netns/red: ns4; an nsfs mount of ns5 at
 * /mnt/x y (escaped in mountinfo), and mounts that are no net namespace.
 */
static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	char path[PATH_MAX], mountinfo[1024];
	struct stat st;
	int i;

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "%s/nt-netns-XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->root));
	mkdirs(f->root, "files");
	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "files/ns%d", i);
		write_file(f->root, path, "");
		snprintf(path, sizeof(path), "%s/files/ns%d", f->root, i);
		assert_int_equal(stat(path, &st), 0);
		f->ino[i] = (__u32)st.st_ino;
	}
	link_ns(f, "proc/self/ns/net", 0);
	link_ns(f, "proc/1/ns/net", 1);
	link_ns(f, "proc/7/ns/net", 1);
	link_ns(f, "proc/9/ns/net", 2);
	link_ns(f, "proc/abc/ns/net", 3);
	link_ns(f, "run/netns/blue", 1);
	link_ns(f, "run/netns/red", 4);
	link_ns(f, "mnt/x y", 5);
	snprintf(mountinfo, sizeof(mountinfo),
		 "22 1 0:21 / /proc rw,relatime - proc proc rw\n"
		 "40 30 0:4 net:[%u] /mnt/x\\040y rw - nsfs nsfs rw\n"
		 "41 30 0:4 mnt:[4026531841] /mnt/other rw - nsfs nsfs rw\n",
		 f->ino[5]);
	write_file(f->root, "proc/self/mountinfo", mountinfo);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int fake_teardown(void **state)
{
	struct fake *f = *state;

	nftw(f->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static const struct nt_netns *by_inum(const struct nt_netns *v, int n, __u32 inum)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].inum == inum)
			return &v[i];
	return NULL;
}

static void test_scan_fake(void **state)
{
	struct fake *f = *state;
	const struct nt_netns *e;
	struct nt_netns *v;
	char path[PATH_MAX];
	struct stat st;
	int n, i;

	n = nt_netns_scan(f->root, 0, 0, &v);
	/* ns0..ns2, ns4, ns5: ns3 is only under a non-numeric /proc entry */
	assert_int_equal(n, 5);
	assert_int_equal(v[0].inum, f->ino[0]); /* our own first */
	assert_null(v[0].name);
	assert_null(by_inum(v, n, f->ino[3]));
	for (i = 0; i < n; i++) {
		assert_true(v[i].fd >= 0);
		assert_int_equal(fstat(v[i].fd, &st), 0);
		assert_int_equal((__u32)st.st_ino, v[i].inum);
	}
	/* found first as pid 1's, then named: the name and its path win */
	e = by_inum(v, n, f->ino[1]);
	assert_non_null(e);
	assert_string_equal(e->name, "blue");
	snprintf(path, sizeof(path), "%s/run/netns/blue", f->root);
	assert_string_equal(e->path, path);
	e = by_inum(v, n, f->ino[2]);
	assert_non_null(e);
	assert_null(e->name);
	snprintf(path, sizeof(path), "%s/proc/9/ns/net", f->root);
	assert_string_equal(e->path, path);
	assert_string_equal(by_inum(v, n, f->ino[4])->name, "red");
	e = by_inum(v, n, f->ino[5]); /* the bind mount, its space unescaped */
	assert_non_null(e);
	snprintf(path, sizeof(path), "%s/mnt/x y", f->root);
	assert_string_equal(e->path, path);
	nt_netns_free(v, (size_t)n);
}

static void test_scan_fake_only_and_flags(void **state)
{
	struct fake *f = *state;
	struct nt_netns *v;
	int n;

	n = nt_netns_scan(f->root, f->ino[2], NT_NETNS_NO_FD, &v);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].inum, f->ino[2]);
	assert_int_equal(v[0].fd, -1);
	nt_netns_free(v, (size_t)n);

	n = nt_netns_scan(f->root, f->ino[5], NT_NETNS_NO_FD, &v);
	assert_int_equal(n, 1);
	nt_netns_free(v, (size_t)n);

	n = nt_netns_scan(f->root, f->ino[3], 0, &v); /* nowhere a namespace is listed */
	assert_int_equal(n, 0);
	nt_netns_free(v, 0);

	/* named only: run/netns, our own left out unless named */
	n = nt_netns_scan(f->root, 0, NT_NETNS_NAMED | NT_NETNS_NO_FD, &v);
	assert_int_equal(n, 2);
	assert_non_null(v[0].name);
	assert_non_null(v[1].name);
	assert_null(by_inum(v, n, f->ino[0]));
	nt_netns_free(v, (size_t)n);
	n = nt_netns_scan(f->root, f->ino[2], NT_NETNS_NAMED, &v);
	assert_int_equal(n, 0);
	nt_netns_free(v, 0);
}

/* Namespace files are on nsfs: a file elsewhere with a listed name does not count. */
static void test_scan_fake_other_device(void **state)
{
	struct fake *f = *state;
	struct nt_netns *v;
	char path[PATH_MAX];
	struct stat dev, tmp;
	int n;

	snprintf(path, sizeof(path), "%s/run/netns/elsewhere", f->root);
	/* /proc/self/stat is on procfs, never on the fake root's file system */
	if (stat("/proc/self/stat", &dev) || stat(f->root, &tmp) || dev.st_dev == tmp.st_dev)
		skip();
	assert_int_equal(symlink("/proc/self/stat", path), 0);
	n = nt_netns_scan(f->root, 0, NT_NETNS_NAMED | NT_NETNS_NO_FD, &v);
	assert_int_equal(n, 2);
	assert_null(by_inum(v, n, (__u32)dev.st_ino));
	nt_netns_free(v, (size_t)n);
	assert_int_equal(unlink(path), 0);
}

static void test_scan_missing_root(void **state)
{
	struct nt_netns *v;

	(void)state;
	assert_int_equal(nt_netns_scan("/nonexistent-nt-root", 0, 0, &v), -ENOENT);
	assert_null(v);
}

/* This machine: our own first, no inode twice, each fd that namespace. */
static void test_list_machine(void **state)
{
	struct nt_netns *ns;
	struct stat st;
	char path[PATH_MAX];
	__u32 self;
	int n, i, j;

	(void)state;
	if (stat("/proc/thread-self/ns/net", &st))
		skip();
	self = nt_netns_self();
	assert_int_equal(self, (__u32)st.st_ino);
	n = nt_netns_list(&ns, 0);
	assert_true(n >= 1);
	assert_int_equal(ns[0].inum, self);
	for (i = 0; i < n; i++) {
		assert_true(ns[i].fd >= 0);
		assert_int_equal(fstat(ns[i].fd, &st), 0);
		assert_int_equal((__u32)st.st_ino, ns[i].inum);
		for (j = 0; j < i; j++)
			assert_int_not_equal(ns[i].inum, ns[j].inum);
	}
	nt_netns_free(ns, (size_t)n);
	n = nt_netns_list(&ns, self);
	assert_int_equal(n, 1);
	assert_int_equal(ns[0].inum, self);
	nt_netns_free(ns, (size_t)n);
	n = nt_netns_list(&ns, 1); /* no namespace has inode 1 */
	assert_int_equal(n, 0);
	nt_netns_free(ns, 0);
	assert_int_equal(nt_netns_find(self, true, path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((__u32)st.st_ino, self);
	assert_int_equal(nt_netns_find(1, true, path, sizeof(path)), -ENOENT);
}

/* Enters our own namespace (needs CAP_SYS_ADMIN: skipped without). */
static void enter_own(struct nt_netns_home *home)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), err;

	assert_true(fd >= 0);
	err = nt_netns_enter(home, fd);
	close(fd);
	if (err == -EPERM)
		skip();
	assert_int_equal(err, 0);
	assert_true(home->fd >= 0);
}

static void test_enter_return(void **state)
{
	struct nt_netns_home home;
	__u32 self = nt_netns_self();
	int fd;

	(void)state;
	enter_own(&home);
	assert_int_equal(home.inum, self);
	assert_int_equal(home.away, self);
	assert_int_equal(nt_netns_return(&home), 0);
	assert_int_equal(home.fd, -1);
	assert_int_equal(nt_netns_return(&home), 0); /* home already */
	/* not a namespace: refused, and the thread has not moved */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(nt_netns_enter(&home, fd), -EINVAL);
	assert_int_equal(home.fd, -1);
	close(fd);
	assert_int_equal(nt_netns_enter_inode(&home, self), 0);
	assert_int_equal(nt_netns_return(&home), 0);
	assert_int_equal(nt_netns_enter_inode(&home, 1), -ENOENT);
	assert_false(nt_netns_stranded());
}

/* Run last: once stranded, the process stays so. */
static void test_return_fails(void **state)
{
	struct nt_netns_home home;
	int fd;

	(void)state;
	enter_own(&home);
	/* The way back broken: home is no namespace file any more. */
	close(home.fd);
	home.fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(nt_netns_return(&home), NT_NETNS_STRANDED);
	assert_int_equal(home.fd, -1);
	assert_true(nt_netns_stranded());
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_int_equal(nt_netns_enter(&home, fd), NT_NETNS_STRANDED);
	close(fd);
	assert_int_equal(nt_netns_enter_inode(&home, nt_netns_self()), NT_NETNS_STRANDED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_fake, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_scan_fake_only_and_flags, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_scan_fake_other_device, fake_setup,
						fake_teardown),
		cmocka_unit_test(test_scan_missing_root),
		cmocka_unit_test(test_list_machine),
		cmocka_unit_test(test_enter_return),
		cmocka_unit_test(test_return_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
