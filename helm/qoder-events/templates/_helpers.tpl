{{- define "qoder-events.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "qoder-events.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "qoder-events.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "qoder-events.selectorLabels" -}}
app.kubernetes.io/name: {{ include "qoder-events.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "qoder-events.labels" -}}
helm.sh/chart: {{ include "qoder-events.chart" . }}
{{ include "qoder-events.selectorLabels" . }}
app.kubernetes.io/version: {{ include "qoder-events.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "qoder-events.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "qoder-events.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "qoder-events.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding QODER_PAT and SPRING_DATASOURCE_PASSWORD. */}}
{{- define "qoder-events.credentialsSecretName" -}}
{{- default (include "qoder-events.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* Whether the chart renders its own Secret. */}}
{{- define "qoder-events.createSecret" -}}
{{- if or (not .Values.existingSecret) .Values.apiKeys }}true{{ end }}
{{- end }}

{{- define "qoder-events.datasourceUrl" -}}
{{- with .Values.database }}
{{- if .url }}
{{- .url }}
{{- else }}
{{- printf "jdbc:postgresql://%s:%v/%s" .host .port .name }}{{ with .sslmode }}?sslmode={{ . }}{{ end }}
{{- end }}
{{- end }}
{{- end }}
