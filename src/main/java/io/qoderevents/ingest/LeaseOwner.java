package io.qoderevents.ingest;

import java.net.InetAddress;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This instance's name on the leases it holds: its host name and a random suffix, one per
 * instance, so that replicas never take each other's leases for their own.
 */
@Component
public class LeaseOwner {

	private final String name;

	/** A new identity, unique to this instance. */
	public LeaseOwner() {
		this.name = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** The owner name the leases record. */
	public String name() {
		return this.name;
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "unknown-host";
		}
	}

}
