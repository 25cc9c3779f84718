// SPDX-License-Identifier: GPL-2.0
/*
 * For tests: opens a packet socket (as tcpdump would) on an interface, so the
 * kernel clones every packet there for it, and reads for SECONDS.
 * Usage: pktsock IFNAME SECONDS
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	char buf[2048];
	time_t end;
	int fd, n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: pktsock IFNAME SECONDS\n");
		return 2;
	}
	sll.sll_ifindex = if_nametoindex(argv[1]);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0 || !sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("pktsock");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	end = time(NULL) + atoi(argv[2]);
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 200) > 0 && recv(fd, buf, sizeof(buf), 0) > 0)
			n++;
	}
	printf("%d packets\n", n);
	return 0;
}
