{{- define "pulseNamespace.labels" -}}
app.kubernetes.io/name: pulse-namespace
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pulse
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
