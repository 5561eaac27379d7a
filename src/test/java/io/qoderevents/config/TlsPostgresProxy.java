package io.qoderevents.config;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A PostgreSQL that requires TLS, for tests: accepts the driver's SSLRequest, answers
 * {@code S}, completes the handshake with a certificate for {@code localhost} (and no IP
 * address) signed by an {@link Authority} of the test, then relays the bytes to a plain
 * PostgreSQL. A startup without TLS gets PostgreSQL's FATAL error and the connection
 * closes.
 */
final class TlsPostgresProxy implements AutoCloseable {

	private static final int SSL_REQUEST = 80877103;

	private final ServerSocket server;

	private final SSLContext tls;

	private final InetSocketAddress target;

	private final AtomicInteger handshakes = new AtomicInteger();

	private final AtomicInteger refused = new AtomicInteger();

	private TlsPostgresProxy(SSLContext tls, InetSocketAddress target) throws IOException {
		this.tls = tls;
		this.target = target;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread accepting = new Thread(this::accept, "tls-postgres-proxy");
		accepting.setDaemon(true);
		accepting.start();
	}

	/** Starts one on a free loopback port, relaying to {@code host}:{@code port}. */
	static TlsPostgresProxy start(Authority authority, String host, int port) {
		try {
			return new TlsPostgresProxy(authority.serverContext(), new InetSocketAddress(host, port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Connections that completed the TLS handshake. */
	int handshakes() {
		return this.handshakes.get();
	}

	/** Connections refused for starting without TLS. */
	int refused() {
		return this.refused.get();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				daemon(() -> serve(client));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket client) {
		try (client) {
			DataInputStream in = new DataInputStream(client.getInputStream());
			int length = in.readInt();
			int code = in.readInt();
			if (length != 8 || code != SSL_REQUEST) {
				this.refused.incrementAndGet();
				client.getOutputStream().write(fatal("28000", "this server accepts TLS connections only"));
				return;
			}
			client.getOutputStream().write('S');
			client.getOutputStream().flush();
			try (SSLSocket secured = (SSLSocket) this.tls.getSocketFactory()
				.createSocket(client, "localhost", client.getPort(), true)) {
				secured.setUseClientMode(false);
				secured.startHandshake();
				this.handshakes.incrementAndGet();
				try (Socket backend = new Socket(this.target.getHostString(), this.target.getPort())) {
					Thread up = daemon(() -> relay(secured, backend));
					relay(backend, secured);
					up.join();
				}
			}
		}
		catch (IOException | InterruptedException ex) {
			// a failed handshake or a closed connection ends this relay only
		}
	}

	private static void relay(Socket from, Socket to) {
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			byte[] buffer = new byte[16384];
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the other side closed
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static byte[] fatal(String state, String message) {
		byte[] fields = ("SFATAL\0VFATAL\0C" + state + "\0M" + message + "\0\0").getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(5 + fields.length).put((byte) 'E').putInt(4 + fields.length).put(fields).array();
	}

	private static Thread daemon(Runnable work) {
		Thread thread = new Thread(work, "tls-postgres-relay");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	/**
	 * A certificate authority made for one test run: its certificate as a PEM file, and
	 * the server certificate it signs for {@code localhost}.
	 */
	static final class Authority {

		private final KeyPair keys;

		private final X509Certificate certificate;

		private Authority(String name) throws GeneralSecurityException, OperatorCreationException, IOException {
			this.keys = keyPair();
			X500Name subject = new X500Name("CN=" + name);
			X509v3CertificateBuilder builder = builder(subject, subject, this.keys)
				.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
				.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			this.certificate = sign(builder, this.keys);
		}

		/** A new authority named {@code name}. */
		static Authority create(String name) {
			try {
				return new Authority(name);
			}
			catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** Writes the authority's certificate as PEM to {@code file}. */
		Path writePem(Path file) throws IOException {
			StringWriter pem = new StringWriter();
			try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
				writer.writeObject(this.certificate);
			}
			return Files.writeString(file, pem.toString());
		}

		private SSLContext serverContext() {
			try {
				KeyPair serverKeys = keyPair();
				GeneralNames names = new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost"));
				X509v3CertificateBuilder builder = builder(new X500Name("CN=localhost"),
						new X500Name(this.certificate.getSubjectX500Principal().getName()), serverKeys)
					.addExtension(Extension.subjectAlternativeName, false, names)
					.addExtension(Extension.extendedKeyUsage, false,
							new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
				X509Certificate server = sign(builder, this.keys);
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				char[] password = "proxy".toCharArray();
				store.setKeyEntry("server", serverKeys.getPrivate(), password,
						new Certificate[] { server, this.certificate });
				KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				keyManagers.init(store, password);
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(keyManagers.getKeyManagers(), null, null);
				return context;
			}
			catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
			Instant now = Instant.now();
			return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
					Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
					keys.getPublic());
		}

		private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
				throws GeneralSecurityException, OperatorCreationException {
			return new JcaX509CertificateConverter().getCertificate(
					builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
		}

		private static KeyPair keyPair() throws GeneralSecurityException {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			return generator.generateKeyPair();
		}

	}

}
