# datastream/haproxy-base:local: scratch + the host's haproxy binary and its libraries + busybox
# (built by deploy/docker/build-base.sh). Same layout as the public haproxy image: config in
# /usr/local/etc/haproxy/haproxy.cfg.
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/sbin:/bin:/usr/bin
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
