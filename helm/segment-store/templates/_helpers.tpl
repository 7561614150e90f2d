{{/*
Chart name.
*/}}
{{- define "segment-store.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the StatefulSet, the client Service, the pods' prefix.
Truncated to 52 characters, not 63: the StatefulSet adds "-<ordinal>" to pod names and
"-<revision hash>" to the controller-revision-hash label (63 at most), and the headless
Service adds "-headless".
*/}}
{{- define "segment-store.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Headless Service name (stable DNS of each pod).
*/}}
{{- define "segment-store.headlessName" -}}
{{- printf "%s-headless" (include "segment-store.fullname" .) }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "segment-store.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "segment-store.labels" -}}
helm.sh/chart: {{ include "segment-store.chart" . }}
{{ include "segment-store.selectorLabels" . }}
app.kubernetes.io/version: {{ include "segment-store.imageTag" . | quote }}
app.kubernetes.io/component: store
app.kubernetes.io/part-of: stupid-db
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels (immutable in a StatefulSet: never add to them).
*/}}
{{- define "segment-store.selectorLabels" -}}
app.kubernetes.io/name: {{ include "segment-store.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Image tag: image.tag, else the chart's appVersion.
*/}}
{{- define "segment-store.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "segment-store.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "segment-store.imageTag" .) }}
{{- end }}

{{/*
ConfigMap name.
*/}}
{{- define "segment-store.configMapName" -}}
{{- printf "%s-config" (include "segment-store.fullname" .) }}
{{- end }}

{{/*
Name of the Secret holding segments.api-key, or "" when there is no key (open API).
*/}}
{{- define "segment-store.apiKeySecretName" -}}
{{- if .Values.apiKey.existingSecret }}
{{- .Values.apiKey.existingSecret }}
{{- else if .Values.apiKey.create }}
{{- printf "%s-api-key" (include "segment-store.fullname" .) }}
{{- end }}
{{- end }}

{{/*
segments.cluster.peers: "0=http://<fullname>-0.<headless>.<ns>.svc.<domain>:8080,1=...", one
entry per replica, ids 0..replicaCount-1 (the pods' ordinals, i.e. their node ids).
*/}}
{{- define "segment-store.clusterPeers" -}}
{{- $fullname := include "segment-store.fullname" . }}
{{- $headless := include "segment-store.headlessName" . }}
{{- $peers := list }}
{{- range $i := until (int .Values.replicaCount) }}
{{- $peers = append $peers (printf "%d=http://%s-%d.%s.%s.svc.%s:8080" $i $fullname $i $headless $.Release.Namespace $.Values.clusterDomain) }}
{{- end }}
{{- join "," $peers }}
{{- end }}

{{/*
Environment variable of a segments.* value key: maxSegmentAge -> SEGMENTS_MAX_SEGMENT_AGE
(the MicroProfile Config mapping of segments.max-segment-age).
*/}}
{{- define "segment-store.envName" -}}
{{- printf "SEGMENTS_%s" (. | snakecase | upper) }}
{{- end }}

{{/*
Seconds of a duration value (digits and ms|s|m|h|d, the values schema's format), or of the
default when the value is empty: include "segment-store.seconds" (list .Values.segments.retention "30d").
Milliseconds are rounded down to whole seconds. Used by the alert rules and the dashboard.
*/}}
{{- define "segment-store.seconds" -}}
{{- $value := toString (index . 0 | default (index . 1)) }}
{{- $number := regexFind "^[0-9]+" $value | int64 }}
{{- $unit := regexFind "[a-z]+$" $value }}
{{- if eq $unit "ms" }}
{{- div $number 1000 }}
{{- else }}
{{- mul $number (get (dict "s" 1 "m" 60 "h" 3600 "d" 86400) $unit) }}
{{- end }}
{{- end }}

{{/*
Bytes of a size value (digits and an optional binary K|M|G|T, as the application reads it), or
of the default when the value is empty: include "segment-store.bytes" (list .Values.segments.minFreeDisk "256M").
*/}}
{{- define "segment-store.bytes" -}}
{{- $value := toString (index . 0 | default (index . 1)) }}
{{- $number := regexFind "^[0-9]+" $value | int64 }}
{{- $unit := regexFind "[KMGT]$" $value }}
{{- mul $number (get (dict "" 1 "K" 1024 "M" 1048576 "G" 1073741824 "T" 1099511627776) $unit) }}
{{- end }}

{{/*
PromQL label matchers that select this release's own series (without braces): the
monitoring.prometheusRule.selector value, else the job and namespace the chart's
ServiceMonitor gives them (the job of a ServiceMonitor target is its Service's name).
*/}}
{{- define "segment-store.metricsSelector" -}}
{{- .Values.monitoring.prometheusRule.selector | default (printf "job=%q,namespace=%q" (include "segment-store.headlessName" .) .Release.Namespace) }}
{{- end }}

{{/*
The pods' ServiceAccount: serviceAccount.name, else <fullname> when the chart creates it, else
"default" (the namespace's).
*/}}
{{- define "segment-store.serviceAccountName" -}}
{{- if .Values.serviceAccount.name }}
{{- .Values.serviceAccount.name }}
{{- else if .Values.serviceAccount.create }}
{{- include "segment-store.fullname" . }}
{{- else }}
{{- "default" }}
{{- end }}
{{- end }}
