#!/bin/sh
# Entry point of the Datastream JVM images: runs the ds launcher (io.datastream.deploy.Ds) with
# JAVA_OPTS (heap, GC) and the image's log4j2 configuration. Arguments are a ds command line:
#   ds-entrypoint router --config /etc/datastream/router.yaml
# The JVM is PID 1 (exec): SIGTERM (docker stop, Kubernetes) runs its shutdown hooks, so a
# router drains, an agent writes its checkpoint and the sink stops its job with a savepoint.
set -e
exec java ${JAVA_OPTS:-} ${DS_LOG4J:+-Dlog4j2.configurationFile=$DS_LOG4J} -cp "/opt/datastream/lib/*" io.datastream.deploy.Ds "$@"
