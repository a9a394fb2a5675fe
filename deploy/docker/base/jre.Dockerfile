# datastream/jre-base:local: scratch + a jlink JRE + the libraries it needs + busybox (built by
# deploy/docker/build-base.sh, which prepares rootfs/). Nothing is pulled or downloaded.
FROM scratch
COPY rootfs/ /
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/bin:/usr/bin \
    LANG=C.UTF-8
CMD ["/bin/sh"]
