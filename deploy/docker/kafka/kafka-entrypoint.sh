#!/bin/sh
# Entry point of datastream/kafka: one Kafka broker in KRaft mode (broker and controller in one
# process). Writes server.properties from the environment, formats the log directory on first
# start, then runs kafka.Kafka.
#   KAFKA_ADVERTISED_HOST      host name other containers use (default: the container's hostname)
#   KAFKA_EXTERNAL_ADVERTISED  host:port clients outside the network use for listener EXTERNAL
#                              (port 9094 in the container; default localhost:9094)
#   KAFKA_NUM_PARTITIONS       partitions of auto-created topics (default 1)
#   KAFKA_CLUSTER_ID           cluster id used when formatting (22 characters of base64)
#   KAFKA_EXTRA_PROPERTIES     more lines for server.properties (newline-separated key=value)
set -e
dir=/var/lib/kafka/data
conf=/tmp/server.properties
mkdir -p "$dir"
cat > "$conf" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=INTERNAL://0.0.0.0:9092,CONTROLLER://localhost:9093,EXTERNAL://0.0.0.0:9094
advertised.listeners=INTERNAL://${KAFKA_ADVERTISED_HOST:-${HOSTNAME:-$(hostname)}}:9092,EXTERNAL://${KAFKA_EXTERNAL_ADVERTISED:-localhost:9094}
listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
log.dirs=$dir
num.partitions=${KAFKA_NUM_PARTITIONS:-1}
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
background.threads=2
log.cleaner.enable=false
message.max.bytes=16777216
${KAFKA_EXTRA_PROPERTIES:-}
PROPS
cp="/opt/datastream/lib/*"
if [ ! -f "$dir/meta.properties" ]; then
  java -Xmx128m -Dlog4j2.configurationFile="$DS_LOG4J" -cp "$cp" kafka.tools.StorageTool format \
    -t "${KAFKA_CLUSTER_ID:-MkU3OEVBNTcwNTJENDM2Qk}" -c "$conf"
fi
exec java ${JAVA_OPTS:-} -Dlog4j2.configurationFile="$DS_LOG4J" -cp "$cp" kafka.Kafka "$conf"
