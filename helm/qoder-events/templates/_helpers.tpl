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

{{/* Where the database's CA is mounted, read-only. */}}
{{- define "qoder-events.databaseCaDirectory" -}}
/etc/qoder-events/database-ca
{{- end }}

{{/* Whether database.caCertificate names a Secret or a ConfigMap. */}}
{{- define "qoder-events.databaseCa" -}}
{{- with .Values.database.caCertificate }}{{ if or .secretName .configMapName }}true{{ end }}{{ end }}
{{- end }}

{{/*
The JDBC URL: database.url as given, else built from host, port, name and sslmode. With database.caCertificate the
driver verifies the server against the mounted CA (sslrootcert); without it, verify-ca and verify-full use the
JVM's trust store (DefaultJavaSSLFactory), since pgjdbc's default factory wants a root certificate file in the
container's home.
*/}}
{{- define "qoder-events.datasourceUrl" -}}
{{- $parameters := list }}
{{- with .Values.database }}
{{- if and .sslmode (not .url) }}
{{- $parameters = append $parameters (printf "sslmode=%s" .sslmode) }}
{{- end }}
{{- if include "qoder-events.databaseCa" $ }}
{{- $parameters = append $parameters (printf "sslrootcert=%s/%s" (include "qoder-events.databaseCaDirectory" $) (default "ca.crt" .caCertificate.key)) }}
{{- else if and (not .url) (has .sslmode (list "verify-ca" "verify-full")) }}
{{- $parameters = append $parameters "sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory" }}
{{- end }}
{{- $base := default (printf "jdbc:postgresql://%s:%v/%s" .host .port .name) .url }}
{{- $base }}{{ if $parameters }}{{ ternary "&" "?" (contains "?" $base) }}{{ join "&" $parameters }}{{ end }}
{{- end }}
{{- end }}
