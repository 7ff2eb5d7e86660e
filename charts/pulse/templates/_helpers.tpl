{{- define "pulse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pulse.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "pulse.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "pulse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pulse
{{- end -}}

{{/* selector labels of one component: (dict "ctx" . "component" "operator") */}}
{{- define "pulse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pulse.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "pulse.operatorName" -}}{{ include "pulse.fullname" . }}-operator{{- end -}}
{{- define "pulse.servingName" -}}{{ include "pulse.fullname" . }}-serving{{- end -}}
{{/* serving.auth, checked: kubernetes or none */}}
{{- define "pulse.servingAuth" -}}
{{- $auth := .Values.serving.auth | default "kubernetes" -}}
{{- if not (has $auth (list "kubernetes" "none")) -}}
{{- fail (printf "serving.auth must be kubernetes or none, not %v" $auth) -}}
{{- end -}}
{{- $auth -}}
{{- end -}}

{{- define "pulse.serviceAccountName" -}}
{{- default (include "pulse.operatorName" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* an image reference: (dict "ctx" . "image" .Values.image.operator) */}}
{{- define "pulse.image" -}}
{{- if .image.digest -}}
{{- printf "%s/%s@%s" .ctx.Values.image.registry .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" .ctx.Values.image.registry .image.repository (default .ctx.Chart.AppVersion .image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "pulse.leaderElection" -}}
{{- if or .Values.operator.leaderElection.enabled (gt (int .Values.operator.replicas) 1) -}}true{{- end -}}
{{- end -}}

{{/* Pod Security Standard "restricted": the pod part */}}
{{- define "pulse.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- end -}}

{{/* Pod Security Standard "restricted": the container part */}}
{{- define "pulse.containerSecurityContext" -}}
{{- toYaml .Values.securityContext -}}
{{- end -}}

{{/* Quarkus health probes on the http port */}}
{{- define "pulse.quarkusProbes" -}}
startupProbe:
  httpGet: {path: /q/health/started, port: http}
  periodSeconds: 5
  failureThreshold: 36
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
{{- end -}}

{{/* the RBAC rules the operator needs inside a namespace it watches (see docs/install.md, "RBAC") */}}
{{- define "pulse.operatorNamespacedRules" -}}
{{ include "pulse.operatorWatchRules" . }}
{{ include "pulse.operatorWriteRules" . }}
{{- end -}}

{{/* watching: the Pulse resources and what the operator made from them; Events. No create, change or delete of anything but the Pulse resources' metadata and status. */}}
{{- define "pulse.operatorWatchRules" -}}
- apiGroups: [pulse.dev]
  resources: [eventstreams, metrics, funnels, retentions]
  verbs: [get, list, watch, patch, update]
- apiGroups: [pulse.dev]
  resources: [eventstreams/status, metrics/status, funnels/status, retentions/status]
  verbs: [get, patch, update]
- apiGroups: [pulse.dev]
  resources: [eventstreams/finalizers, metrics/finalizers, funnels/finalizers, retentions/finalizers]
  verbs: [update]
- apiGroups: [kafka.strimzi.io]
  resources: [kafkatopics]
  verbs: [get, list, watch]
- apiGroups: [flink.apache.org]
  resources: [flinkdeployments]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end -}}

{{/* writing a namespace's pipelines: granted per namespace only (a Role, or a RoleBinding of the onboarding chart to the ClusterRole <operator>-namespace) */}}
{{- define "pulse.operatorWriteRules" -}}
- apiGroups: [kafka.strimzi.io]
  resources: [kafkatopics]
  verbs: [create, update, patch, delete]
- apiGroups: [flink.apache.org]
  resources: [flinkdeployments]
  verbs: [create, update, patch, delete]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [create, update, patch, delete]
# the namespace's database login, which the operator writes (creating cannot be limited by name)
- apiGroups: [""]
  resources: [secrets]
  verbs: [create]
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [{{ .Values.serving.database.pipelineSecretName | default "pulse-pipeline-db" | quote }}]
  verbs: [get, update, patch]
{{- end -}}

{{/* non-empty when the operator reads a properties file (batch sources, the pipelines' further Flink settings) */}}
{{- define "pulse.operatorConfigFile" -}}
{{- if or .Values.batchSources .Values.pipelines.state.flinkConfiguration -}}true{{- end -}}
{{- end -}}
