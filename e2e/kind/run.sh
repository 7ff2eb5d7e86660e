#!/usr/bin/env bash
# The end-to-end scenario of `pulse local` on a real cluster: kind, Strimzi, the Flink Kubernetes
# Operator, PostgreSQL, Pulse from its Helm chart and its own images, the samples, and a check of
# the served numbers. Needs docker, kind, kubectl and helm on the PATH and network access to the
# projects' release artifacts. It cannot run on the machines this repository is built on (no
# Docker engine there); see README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="${PULSE_KIND_CLUSTER:-pulse-e2e}"
NS="${PULSE_NAMESPACE:-growth}"
TAG="${PULSE_TAG:-e2e}"
STRIMZI_VERSION="${STRIMZI_VERSION:-0.49.0}"        # KafkaTopic kafka.strimzi.io/v1 needs Strimzi >= 0.49
FLINK_OPERATOR_VERSION="${FLINK_OPERATOR_VERSION:-1.10.0}"
CERT_MANAGER_VERSION="${CERT_MANAGER_VERSION:-v1.14.4}"
FLINK_VERSION=1.20.3                                  # the pipeline image's (images/pipeline.Dockerfile)
MINIO_USER="${PULSE_MINIO_USER:-pulse-flink}"         # MinIO's root login, which the pipelines use too
MINIO_PASSWORD="${PULSE_MINIO_PASSWORD:-pulse-flink-e2e}"

step() { printf '\n== %s\n' "$*"; }
wait_for() { # wait_for DESCRIPTION SECONDS COMMAND...
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "timed out waiting for $what" >&2; return 1
}

step "cluster $CLUSTER"
kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER" --wait 120s
kubectl create namespace kafka --dry-run=client -o yaml | kubectl apply -f -
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f -

step "images (built from this checkout, loaded into kind)"
(cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl operator,serving -am && ./mvnw -q -B -DskipTests -Pflink-cluster package -pl pipeline -am)
for image in operator serving pipeline; do
  docker build -q -f "$ROOT/images/$image.Dockerfile" -t "ghcr.io/pulse-dev/pulse-$image:$TAG" "$ROOT"
  kind load docker-image --name "$CLUSTER" "ghcr.io/pulse-dev/pulse-$image:$TAG"
done

step "Strimzi $STRIMZI_VERSION, a one-node Kafka cluster 'analytics' in namespace kafka, watching $NS"
helm upgrade --install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "$STRIMZI_VERSION" \
  -n kafka --set watchNamespaces="{$NS}" --wait
kubectl apply -n kafka -f "$ROOT/e2e/kind/kafka.yaml"
wait_for "Kafka analytics ready" 600 kubectl wait -n kafka kafka/analytics --for=condition=Ready --timeout=5s

step "cert-manager and the Flink Kubernetes Operator $FLINK_OPERATOR_VERSION"
kubectl apply -f "https://github.com/cert-manager/cert-manager/releases/download/$CERT_MANAGER_VERSION/cert-manager.yaml"
wait_for "cert-manager webhook" 300 kubectl wait -n cert-manager deploy/cert-manager-webhook --for=condition=Available --timeout=5s
helm repo add flink-operator "https://archive.apache.org/dist/flink/flink-kubernetes-operator-$FLINK_OPERATOR_VERSION/" --force-update
helm upgrade --install flink-kubernetes-operator flink-operator/flink-kubernetes-operator -n flink --create-namespace \
  --set "watchNamespaces={$NS}" --wait

step "PostgreSQL (the serving store) and the owner's Secret in pulse-system only"
kubectl create namespace pulse-system --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n pulse-system -f "$ROOT/e2e/kind/postgres.yaml"
wait_for "PostgreSQL" 300 kubectl wait -n pulse-system deploy/postgres --for=condition=Available --timeout=5s
# the operator creates the namespace's role (Secret pulse-pipeline-db in $NS) and the serving API's
# read-only role (Secret pulse-serving-reader in pulse-system) itself
kubectl create secret generic pulse-serving-db -n pulse-system \
  --from-literal=PULSE_JDBC_URL=jdbc:postgresql://postgres.pulse-system.svc:5432/pulse \
  --from-literal=PULSE_JDBC_USER=pulse --from-literal=PULSE_JDBC_PASSWORD=pulse-e2e \
  --dry-run=client -o yaml | kubectl apply -f -

step "MinIO (S3-compatible) for the pipelines' checkpoints and savepoints: bucket analytics-flink"
kubectl create namespace minio --dry-run=client -o yaml | kubectl apply -f -
kubectl create secret generic minio-root -n minio \
  --from-literal=MINIO_ROOT_USER="$MINIO_USER" --from-literal=MINIO_ROOT_PASSWORD="$MINIO_PASSWORD" \
  --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n minio -f "$ROOT/e2e/kind/minio.yaml"
wait_for "MinIO" 300 kubectl wait -n minio deploy/minio --for=condition=Available --timeout=5s
wait_for "bucket analytics-flink" 300 kubectl wait -n minio job/minio-bucket --for=condition=Complete --timeout=5s
# the Flink pods' login to MinIO and Flink's S3 filesystem plugin, as environment in the namespace
# with EventStreams (chart value pipelines.state.credentialsSecret; docs/install.md)
kubectl create secret generic pulse-flink-state -n "$NS" \
  --from-literal=AWS_ACCESS_KEY_ID="$MINIO_USER" --from-literal=AWS_SECRET_ACCESS_KEY="$MINIO_PASSWORD" \
  --from-literal=ENABLE_BUILT_IN_PLUGINS="flink-s3-fs-hadoop-$FLINK_VERSION.jar" \
  --dry-run=client -o yaml | kubectl apply -f -

step "Pulse from charts/pulse"
# the built-in pipeline template, its state directories replaced by the MinIO bucket's (pulse-values.yaml):
# durable, so the operator deploys every stream (on file:// paths it would refuse them with EphemeralState)
helm upgrade --install pulse "$ROOT/charts/pulse" -n pulse-system --wait \
  --set image.operator.tag="$TAG" --set image.serving.tag="$TAG" --set image.pipeline.tag="$TAG" \
  --set image.pullPolicy=Never --set "watchNamespaces={$NS}" \
  -f "$ROOT/e2e/kind/pulse-values.yaml"

step "samples into $NS"
"$ROOT/pulse" validate -f "$ROOT/samples/" -n "$NS"
kubectl apply -n "$NS" -f "$ROOT/samples/"
for kind in eventstreams metrics funnels retentions; do
  for name in $(kubectl get "$kind" -n "$NS" -o name); do
    wait_for "$name Ready" 300 kubectl wait -n "$NS" "$name" --for=condition=Ready --timeout=5s
  done
done
kubectl get pulse -n "$NS"

step "events in, numbers out"
kubectl apply -n "$NS" -f "$ROOT/e2e/kind/traffic-job.yaml"
wait_for "traffic job done" 600 kubectl wait -n "$NS" job/pulse-e2e-traffic --for=condition=Complete --timeout=5s
kubectl port-forward -n pulse-system svc/pulse-serving 18080:80 >/dev/null 2>&1 &
FORWARD=$!
trap 'kill $FORWARD 2>/dev/null || true' EXIT
wait_for "serving API" 60 curl -sf localhost:18080/q/health/ready
# the API needs a token of someone who may read the namespace (serving.auth: kubernetes)
kubectl -n "$NS" create serviceaccount e2e-reader --dry-run=client -o yaml | kubectl apply -f -
kubectl -n "$NS" create rolebinding e2e-reader --clusterrole=view --serviceaccount="$NS:e2e-reader" --dry-run=client -o yaml | kubectl apply -f -
TOKEN="$(kubectl -n "$NS" create token e2e-reader)"
FROM="$(date -u -d '-1 day' +%Y-%m-%dT%H:00:00Z)"
test "$(curl -s -o /dev/null -w '%{http_code}' "localhost:18080/api/v1/namespaces/$NS/metrics/orders-per-minute")" = 401
# the traffic job writes 600 purchases, 10 per minute of event time over one hour two hours ago
wait_for "all 600 purchases served as final counts" 600 bash -c \
  "curl -sf -H 'Authorization: Bearer $TOKEN' 'localhost:18080/api/v1/namespaces/$NS/metrics/orders-per-minute?grain=1h&from=$FROM' \
   | python3 -c 'import json,sys; p=json.load(sys.stdin)[\"points\"]; sys.exit(0 if sum(x[\"value\"] for x in p if x[\"final\"])==600 else 1)'"
echo "served orders-per-minute equals the 600 purchases sent"

step "an invalid edit changes nothing that runs"
HASH="$(kubectl get flinkdeployment -n "$NS" shop-events-pipeline -o jsonpath='{.metadata.annotations.pulse\.dev/plan-hash}')"
kubectl patch metric -n "$NS" revenue-by-country --type=json \
  -p '[{"op":"add","path":"/spec/where/-","value":{"field":"coupon_code","operator":"Exists"}}]'
wait_for "Valid=False" 120 kubectl wait -n "$NS" metric/revenue-by-country --for=condition=Valid=False --timeout=5s
test "$HASH" = "$(kubectl get flinkdeployment -n "$NS" shop-events-pipeline -o jsonpath='{.metadata.annotations.pulse\.dev/plan-hash}')"
echo "plan hash unchanged: $HASH"

step "the pipelines' state is in MinIO"
# a completed checkpoint of the stream's pipeline, under the bucket's checkpoints/ (Flink writes
# <dir>/<job id>/chk-<n>/_metadata); the job checkpoints every 30 s
wait_for "a checkpoint in s3://analytics-flink/checkpoints" 300 bash -c \
  "kubectl run -n minio mc-ls-\$RANDOM --rm -i --restart=Never --quiet --image=quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z \
     --env=MC_CONFIG_DIR=/tmp/mc --env=MC_HOST_e2e='http://$MINIO_USER:$MINIO_PASSWORD@minio.minio.svc:9000' \
     --command -- mc ls --recursive e2e/analytics-flink/checkpoints/ | grep -q '/chk-[0-9]*/_metadata'"
echo "checkpoints are written to MinIO"

printf '\nall checks passed; delete the cluster with: kind delete cluster --name %s\n' "$CLUSTER"
