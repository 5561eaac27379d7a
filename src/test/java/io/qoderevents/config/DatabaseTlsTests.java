package io.qoderevents.config;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import javax.net.ssl.SSLHandshakeException;

import io.qoderevents.QoderEventsApplication;
import io.qoderevents.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service on a PostgreSQL that requires TLS, with {@code sslmode=verify-full} as the
 * chart sets it for a managed database: it starts with the CA that signed the server's
 * certificate, and with another CA, or the JVM's trust store alone, it stops naming the
 * setting that gives the driver the right CA.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseTlsTests {

	private static final TlsPostgresProxy.Authority AUTHORITY = TlsPostgresProxy.Authority.create("qoder test CA");

	@TempDir
	static Path directory;

	private static TlsPostgresProxy proxy;

	private static TestDatabase database;

	@BeforeAll
	static void startProxy() {
		database = TestDatabase.get();
		Properties target = Driver.parseURL(database.url(), new Properties());
		assertThat(target).as("host and port of %s", database.url()).containsKeys("PGHOST", "PGPORT");
		proxy = TlsPostgresProxy.start(AUTHORITY, target.getProperty("PGHOST"),
				Integer.parseInt(target.getProperty("PGPORT")));
	}

	@AfterAll
	static void stopProxy() throws IOException {
		proxy.close();
	}

	@Test
	void startWhenVerifyFullWithTheServersCaThenConnectsOverTlsAndMigrates() throws IOException {
		Path ca = AUTHORITY.writePem(directory.resolve("ca.crt"));
		int before = proxy.handshakes();
		try (ConfigurableApplicationContext context = start("sslmode=verify-full&sslrootcert=" + ca)) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			assertThat(jdbc.sql("select count(*) from flyway_schema_history where success").query(Long.class).single())
				.isPositive();
			assertThat(jdbc.sql("select count(*) from tracked_session").query(Long.class).single()).isNotNegative();
		}
		assertThat(proxy.handshakes()).isGreaterThan(before);
	}

	@Test
	void connectWhenNoTlsThenServerRefuses() {
		String url = "jdbc:postgresql://localhost:" + proxy.port() + "/" + databaseName() + "?sslmode=disable";
		int before = proxy.refused();
		assertThatException().isThrownBy(() -> DriverManager.getConnection(url, credentials()).close())
			.withMessageContaining("TLS connections only");
		assertThat(proxy.refused()).isGreaterThan(before);
	}

	@Test
	void startWhenVerifyFullWithAnotherCaThenRefusesNamingCaCertificateAndSslrootcert(CapturedOutput output)
			throws IOException {
		Path other = TlsPostgresProxy.Authority.create("another CA").writePem(directory.resolve("other-ca.crt"));
		assertThatThrownBy(() -> start("sslmode=verify-full&sslrootcert=" + other).close()).isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("Cannot verify the TLS certificate of the PostgreSQL database jdbc:postgresql://localhost:"
					+ proxy.port() + "/" + databaseName() + " (sslmode=verify-full, sslrootcert=" + other + ")")
			.contains("it does not chain to a CA the driver trusts")
			.contains("set database.caCertificate")
			.contains("sslrootcert=/path/to/ca.pem to spring.datasource.url (SPRING_DATASOURCE_URL)");
	}

	@Test
	void startWhenVerifyFullWithTheJvmTrustStoreAndAPrivateCaThenRefusesNamingCaCertificate(CapturedOutput output) {
		assertThatThrownBy(
				() -> start("sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory").close())
			.isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("(sslmode=verify-full, sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory)")
			.contains("it does not chain to a CA the driver trusts")
			.contains("set database.caCertificate");
	}

	@Test
	void startWhenCertificateDoesNotNameTheHostThenRefusesNamingTheHostSetting(CapturedOutput output)
			throws IOException {
		Path ca = AUTHORITY.writePem(directory.resolve("ca-for-another-host.crt"));
		// the certificate names localhost, not the address
		assertThatThrownBy(() -> start("127.0.0.1", "sslmode=verify-full&sslrootcert=" + ca).close()).isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("it does not name the host")
			.contains("Connect by a host name the server's certificate names: database.host");
	}

	@Test
	void startWhenSslrootcertFileMissingThenRefusesNamingTheMount(CapturedOutput output) {
		Path missing = directory.resolve("not-mounted/ca.crt");
		assertThatThrownBy(() -> start("sslmode=verify-full&sslrootcert=" + missing).close()).isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("Cannot read the TLS root certificate")
			.contains("The file named by sslrootcert is not there");
	}

	@Test
	void analyzerWhenFailureIsNotAboutTlsThenLeavesItToTheOthers() {
		DatabaseTlsFailureAnalyzer analyzer = new DatabaseTlsFailureAnalyzer(new MockEnvironment());
		assertThat(analyzer.analyze(new SQLException("Connection to db:5432 refused.", "08001"))).isNull();
		assertThat(analyzer.analyze(new IllegalStateException("no SQL at all"))).isNull();
	}

	@Test
	void analyzerWhenUrlHoldsAPasswordThenShowsOnlyTheTlsSettings() {
		DatabaseTlsFailureAnalyzer analyzer = new DatabaseTlsFailureAnalyzer(new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/q?password=s3cret&sslmode=verify-full"));
		SQLException failure = new SQLException("SSL error: PKIX path building failed", "08006",
				new SSLHandshakeException("PKIX path building failed"));
		assertThat(analyzer.analyze(failure).getDescription())
			.startsWith("Cannot verify the TLS certificate of the PostgreSQL database jdbc:postgresql://db:5432/q"
					+ " (sslmode=verify-full):")
			.doesNotContain("s3cret");
	}

	private static ConfigurableApplicationContext start(String tlsParameters) {
		return start("localhost", tlsParameters);
	}

	/** The service outside the demo, its database reached through the proxy. */
	private static ConfigurableApplicationContext start(String host, String tlsParameters) {
		String url = "jdbc:postgresql://" + host + ":" + proxy.port() + "/" + databaseName() + "?" + tlsParameters;
		List<String> arguments = List.of("--server.port=" + freePort(), "--management.server.port=" + freePort(),
				"--spring.datasource.url=" + url, "--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(),
				"--spring.datasource.hikari.connection-timeout=5000", "--qoder.ingest.enabled=false",
				"--qoder.upstream.token=pt-tls-test", "--qoder.api.auth.enabled=false");
		return new SpringApplicationBuilder(QoderEventsApplication.class).run(arguments.toArray(String[]::new));
	}

	private static String databaseName() {
		return Driver.parseURL(database.url(), new Properties()).getProperty("PGDBNAME");
	}

	private static Properties credentials() {
		Properties properties = new Properties();
		properties.setProperty("user", database.username());
		properties.setProperty("password", database.password());
		return properties;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
