package io.qoderevents.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The JVM's memory while a phase runs: heap in use and resident set size sampled every 50
 * ms on a background thread, and the heap still in use after each garbage collection (the
 * live set, which a flat heap keeps level).
 */
final class MemorySampler implements AutoCloseable {

	private static final Path STATUS = Path.of("/proc/self/status");

	private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.map(MemoryPoolMXBean::getName)
		.collect(Collectors.toSet());

	private final AtomicLong heapUsed = new AtomicLong();

	private final AtomicLong heapAfterGc = new AtomicLong();

	private final AtomicLong rss = new AtomicLong();

	private final NotificationListener listener = this::collected;

	private final Thread thread;

	private volatile boolean running = true;

	private long gcCount;

	private long gcMillis;

	MemorySampler() {
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) collector).addNotificationListener(this.listener, null, null);
		}
		this.thread = new Thread(this::sample, "bench-memory-sampler");
		this.thread.setDaemon(true);
		this.thread.start();
		reset();
	}

	/** Starts a new phase: peaks from now on. */
	void reset() {
		this.heapUsed.set(0);
		this.heapAfterGc.set(0);
		this.rss.set(0);
		this.gcCount = collections()[0];
		this.gcMillis = collections()[1];
	}

	/** The peaks since the last reset. */
	Peaks peaks() {
		long[] collections = collections();
		return new Peaks(this.heapUsed.get(), this.heapAfterGc.get(), this.rss.get(), status("VmHWM:"),
				collections[0] - this.gcCount, collections[1] - this.gcMillis);
	}

	/** The heap in use now, after a full collection. */
	static long liveHeap() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join();
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			try {
				((NotificationEmitter) collector).removeNotificationListener(this.listener);
			}
			catch (ListenerNotFoundException ex) {
				// already gone
			}
		}
	}

	private void sample() {
		while (this.running) {
			this.heapUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
					Math::max);
			this.rss.accumulateAndGet(status("VmRSS:"), Math::max);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void collected(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long after = info.getGcInfo()
			.getMemoryUsageAfterGc()
			.entrySet()
			.stream()
			.filter((pool) -> this.heapPools.contains(pool.getKey()))
			.map(Map.Entry::getValue)
			.mapToLong(MemoryUsage::getUsed)
			.sum();
		long before = info.getGcInfo()
			.getMemoryUsageBeforeGc()
			.entrySet()
			.stream()
			.filter((pool) -> this.heapPools.contains(pool.getKey()))
			.map(Map.Entry::getValue)
			.mapToLong(MemoryUsage::getUsed)
			.sum();
		this.heapAfterGc.accumulateAndGet(after, Math::max);
		this.heapUsed.accumulateAndGet(before, Math::max);
	}

	private static long[] collections() {
		List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
		return new long[] { collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum(),
				collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() };
	}

	/** A {@code /proc/self/status} line in bytes, or 0 where there is no such file. */
	private static long status(String field) {
		try {
			for (String line : Files.readAllLines(STATUS)) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux
		}
		return 0;
	}

	/**
	 * What a phase used.
	 *
	 * @param heapUsed most heap in use, sampled and just before each collection
	 * @param heapAfterGc most heap still in use after a collection
	 * @param rss largest resident set size sampled
	 * @param rssHighWater the process's resident set high-water mark so far (since the
	 * JVM started)
	 * @param collections garbage collections in the phase
	 * @param gcMillis time the collectors report for those
	 */
	record Peaks(long heapUsed, long heapAfterGc, long rss, long rssHighWater, long collections, long gcMillis) {
	}

}
