package io.qoderevents.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;

/**
 * CPU time used so far by the benchmark JVM (the service), the upstream JVM, the
 * PostgreSQL processes of the benchmark's database and of the whole server, and the whole
 * machine, read from the JVM and {@code /proc}. The difference of two samples is what a
 * phase used.
 *
 * @param wallNanos {@link System#nanoTime()}
 * @param jvmNanos CPU time of this JVM
 * @param upstreamNanos CPU time of the upstream JVM
 * @param postgresTicks CPU ticks of each PostgreSQL process by pid
 * @param databaseTicks CPU ticks of the PostgreSQL processes of the benchmark's database
 * @param machineBusyTicks busy ticks of all cores ({@code /proc/stat}: all but idle and
 * iowait)
 * @param machineTotalTicks all ticks of all cores
 */
record CpuSample(long wallNanos, long jvmNanos, long upstreamNanos, Map<Long, Long> postgresTicks, long databaseTicks,
		long machineBusyTicks, long machineTotalTicks) {

	/** Linux's USER_HZ, the unit of {@code /proc} CPU times. */
	private static final long TICK_NANOS = 10_000_000L;

	static CpuSample now(BenchUpstream.Running upstream, PostgresProcesses database) {
		long jvm = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
		long[] machine = machine();
		return new CpuSample(System.nanoTime(), jvm, (upstream != null) ? upstream.cpu().toNanos() : 0, postgres(),
				database.ticks(), machine[0], machine[1]);
	}

	/** What was used between an earlier sample and this one. */
	Used since(CpuSample start) {
		long postgres = 0;
		for (Map.Entry<Long, Long> process : this.postgresTicks.entrySet()) {
			postgres += process.getValue() - start.postgresTicks.getOrDefault(process.getKey(), 0L);
		}
		long total = this.machineTotalTicks - start.machineTotalTicks;
		return new Used(Duration.ofNanos(this.wallNanos - start.wallNanos),
				Duration.ofNanos(this.jvmNanos - start.jvmNanos),
				Duration.ofNanos(this.upstreamNanos - start.upstreamNanos),
				Duration.ofNanos((this.databaseTicks - start.databaseTicks) * TICK_NANOS),
				Duration.ofNanos(postgres * TICK_NANOS),
				(total > 0) ? (double) (this.machineBusyTicks - start.machineBusyTicks) / total : 0);
	}

	private static long[] machine() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < fields.length; i++) {
				total += Long.parseLong(fields[i]);
			}
			long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
			return new long[] { total - idle, total };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { 0, 0 };
		}
	}

	/**
	 * utime + stime of every process named postgres; empty where /proc cannot be read.
	 */
	private static Map<Long, Long> postgres() {
		Map<Long, Long> ticks = new HashMap<>();
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				try {
					String stat = Files.readString(process.resolve("stat"));
					int close = stat.lastIndexOf(')');
					if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
						continue;
					}
					String[] fields = stat.substring(close + 2).split(" ");
					ticks.put(Long.parseLong(process.getFileName().toString()),
							Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
				}
				catch (IOException | RuntimeException ex) {
					// the process ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return ticks;
	}

	/**
	 * CPU used in a phase.
	 *
	 * @param wall elapsed time
	 * @param jvm CPU of the benchmark JVM (the service, and the benchmark's own client
	 * where it has one)
	 * @param upstream CPU of the upstream JVM
	 * @param postgres CPU of the PostgreSQL processes of the benchmark's database
	 * @param allPostgres CPU of all PostgreSQL processes still running at the end (WAL
	 * writer, checkpointer and other databases included)
	 * @param machineBusy share of all cores busy, whoever used them (other builds
	 * included)
	 */
	record Used(Duration wall, Duration jvm, Duration upstream, Duration postgres, Duration allPostgres,
			double machineBusy) {

		/**
		 * CPU time as cores kept busy on average: {@code 1.0} is one core for the whole
		 * phase.
		 */
		static double cores(Duration cpu, Duration wall) {
			return wall.isZero() ? 0 : (double) cpu.toNanos() / wall.toNanos();
		}

		/** CPU microseconds per item of work done in the phase. */
		String perItem(long items, String item) {
			double n = Math.max(1, items);
			return String.format("CPU per %s: service JVM %.0f us, upstream %.0f us, PostgreSQL %.0f us", item,
					this.jvm.toNanos() / 1e3 / n, this.upstream.toNanos() / 1e3 / n, this.postgres.toNanos() / 1e3 / n);
		}

		@Override
		public String toString() {
			return String.format(
					"service JVM %.2f cores, upstream %.2f, PostgreSQL %.2f (all PostgreSQL processes %.2f); machine "
							+ "%.0f%% busy",
					cores(this.jvm, this.wall), cores(this.upstream, this.wall), cores(this.postgres, this.wall),
					cores(this.allPostgres, this.wall), this.machineBusy * 100);
		}

	}

}
