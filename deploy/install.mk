# Included by the Makefile's install target: the systemd unit (its ExecStart
# pointing at the installed binary) and the other deployment files.
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
install: install-deploy
.PHONY: install-deploy
install-deploy:
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(DATADIR)/nettrace/deploy/kubernetes \
		$(DESTDIR)$(DATADIR)/nettrace/deploy/prometheus
	sed 's|@SBINDIR@|$(SBINDIR)|' deploy/systemd/nettrace-monitor.service \
		> $(DESTDIR)$(SYSTEMDDIR)/nettrace-monitor.service
	chmod 644 $(DESTDIR)$(SYSTEMDDIR)/nettrace-monitor.service
	$(INSTALL) -m 644 deploy/README.md $(DESTDIR)$(DATADIR)/nettrace/deploy/
	$(INSTALL) -m 644 deploy/kubernetes/*.yaml $(DESTDIR)$(DATADIR)/nettrace/deploy/kubernetes/
	$(INSTALL) -m 644 deploy/prometheus/*.yml $(DESTDIR)$(DATADIR)/nettrace/deploy/prometheus/
