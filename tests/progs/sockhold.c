// SPDX-License-Identifier: GPL-2.0
/*
 * For tests: a socket that listens (tcp) or is bound (udp) on a port of every
 * IPv4 address and never reads, held for SECONDS, with the option a scenario
 * needs. Prints "ready" once set up.
 * Usage: sockhold tcp|udp PORT SECONDS [rcvbuf=BYTES] [filter=drop]
 *                 [minttl=N] [md5=PEER]
 *   rcvbuf   SO_RCVBUF (the kernel's minimum if smaller)
 *   filter   a classic BPF socket filter that refuses every packet
 *   minttl   IP_MINTTL: segments with a smaller TTL are dropped
 *   md5      TCP_MD5SIG: a key for PEER, so its segments must be signed
 */
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int set_option(int fd, const char *opt)
{
	static struct sock_filter refuse[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
	struct sock_fprog prog = {.len = 1, .filter = refuse};
	struct tcp_md5sig md5 = {.tcpm_keylen = 8};
	struct sockaddr_in *peer = (struct sockaddr_in *)&md5.tcpm_addr;
	int v;

	if (!strncmp(opt, "rcvbuf=", 7)) {
		v = atoi(opt + 7);
		return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	}
	if (!strcmp(opt, "filter=drop"))
		return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
	if (!strncmp(opt, "minttl=", 7)) {
		v = atoi(opt + 7);
		return setsockopt(fd, IPPROTO_IP, IP_MINTTL, &v, sizeof(v));
	}
	if (!strncmp(opt, "md5=", 4)) {
		peer->sin_family = AF_INET;
		if (inet_pton(AF_INET, opt + 4, &peer->sin_addr) != 1)
			return -1;
		memcpy(md5.tcpm_key, "nt54-key", 8);
		return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int fd, i, tcp, one = 1;

	if (argc < 4 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp"))) {
		fprintf(stderr, "usage: sockhold tcp|udp PORT SECONDS [rcvbuf=BYTES] "
				"[filter=drop] [minttl=N] [md5=PEER]\n");
		return 2;
	}
	tcp = !strcmp(argv[1], "tcp");
	a.sin_port = htons((unsigned short)atoi(argv[2]));
	fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
		perror("sockhold: socket");
		return 1;
	}
	for (i = 4; i < argc; i++) {
		if (set_option(fd, argv[i])) {
			perror(argv[i]);
			return 1;
		}
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || (tcp && listen(fd, 8))) {
		perror("sockhold: bind");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	sleep((unsigned int)atoi(argv[3]));
	close(fd);
	return 0;
}
