package io.qoderevents.config;

import java.io.FileNotFoundException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * A start-up that fails because the driver cannot verify PostgreSQL's TLS certificate
 * (not signed by a CA it trusts, or not naming the host) or cannot read the CA file: says
 * which check failed and which setting gives the driver the right CA or host.
 */
class DatabaseTlsFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> implements Ordered {

	static final String CA_ACTION = "Give the driver the CA that signed the database server's certificate: with the"
			+ " Helm chart set database.caCertificate (a Secret or ConfigMap holding the PEM, mounted and passed as"
			+ " sslrootcert); otherwise add sslrootcert=/path/to/ca.pem to spring.datasource.url"
			+ " (SPRING_DATASOURCE_URL). sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory trusts the JVM's CA"
			+ " bundle instead, which holds the public CAs only.";

	static final String HOST_ACTION = "Connect by a host name the server's certificate names: database.host in the"
			+ " Helm chart, or the host in spring.datasource.url (SPRING_DATASOURCE_URL); sslmode=verify-ca checks"
			+ " the CA without the name.";

	static final String FILE_ACTION = "The file named by sslrootcert is not there: with the Helm chart set"
			+ " database.caCertificate (the chart mounts it and sets sslrootcert), or mount it with extraVolumes and"
			+ " extraVolumeMounts and name its path in spring.datasource.url (SPRING_DATASOURCE_URL).";

	private static final Pattern TLS_PARAMETER = Pattern.compile("[?&]((?:sslmode|sslrootcert|sslfactory)=[^&]*)");

	private final Environment environment;

	DatabaseTlsFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		String message = String.valueOf(cause.getMessage());
		if (message.contains("could not be verified by hostnameverifier")) {
			return analysis("Cannot verify the TLS certificate of", "it does not name the host: " + message,
					HOST_ACTION, cause);
		}
		if (find(cause, FileNotFoundException.class) != null && message.contains("root certificate")) {
			return analysis("Cannot read the TLS root certificate for", message, FILE_ACTION, cause);
		}
		SSLException tls = find(cause, SSLException.class);
		if (tls != null) {
			return analysis("Cannot verify the TLS certificate of",
					"it does not chain to a CA the driver trusts: " + tls.getMessage(), CA_ACTION, cause);
		}
		return null;
	}

	/**
	 * Before {@link DatabaseFailureAnalyzer}, which reads every 08xxx failure as
	 * unreachable.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	private FailureAnalysis analysis(String what, String why, String action, SQLException cause) {
		String url = this.environment.getProperty("spring.datasource.url", "(no spring.datasource.url)");
		// the query may hold a password: only the TLS settings are shown
		List<String> settings = new ArrayList<>();
		Matcher parameter = TLS_PARAMETER.matcher(url);
		while (parameter.find()) {
			settings.add(parameter.group(1));
		}
		String database = url.replaceFirst("\\?.*", "");
		String shown = settings.isEmpty() ? "no sslmode, sslrootcert or sslfactory in the URL"
				: String.join(", ", settings);
		return new FailureAnalysis(what + " the PostgreSQL database " + database + " (" + shown + "): " + why, action,
				cause);
	}

	private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

}
