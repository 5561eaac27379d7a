package io.qoderevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The numbers of one run as a Markdown table, with the lines and notes that explain them.
 */
final class Results {

	private final List<Row> rows = new ArrayList<>();

	private final List<String> lines = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	/** A number without a target. */
	void add(String section, String measure, String value) {
		this.rows.add(new Row(section, measure, value, "", ""));
	}

	/** A number with its design target; {@code met} null when it could not be judged. */
	void add(String section, String measure, String value, String target, Boolean met) {
		this.rows.add(new Row(section, measure, value, target, (met != null) ? (met ? "met" : "**missed**") : "n/a"));
	}

	/** A line printed on its own under the table, such as the {@code ratio} line. */
	void line(String text) {
		this.lines.add(text);
	}

	void note(String text) {
		this.notes.add(text);
	}

	/** The table with a header, the lines, then the notes. */
	String render(String header) {
		StringBuilder text = new StringBuilder(header).append('\n');
		text.append("| section | measure | value | target | |\n|---|---|---|---|---|\n");
		String section = null;
		List<Row> sorted = new ArrayList<>(this.rows);
		sorted.sort(Comparator.comparing(Row::section));
		for (Row row : sorted) {
			text.append("| ").append(row.section().equals(section) ? "" : row.section()).append(" | ");
			text.append(row.measure()).append(" | ").append(row.value()).append(" | ");
			text.append(row.target()).append(" | ").append(row.verdict()).append(" |\n");
			section = row.section();
		}
		text.append('\n');
		this.lines.forEach((line) -> text.append(line).append("\n\n"));
		if (!this.notes.isEmpty()) {
			text.append("## Notes\n\n");
			this.notes.forEach((note) -> text.append("- ").append(note).append('\n'));
		}
		return text.toString();
	}

	void write(Path file, String header) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, render(header));
	}

	static String mb(long bytes) {
		return String.format("%.0f MB", bytes / 1048576.0);
	}

	static String ms(double millis) {
		return String.format((millis < 10) ? "%.2f ms" : "%.1f ms", millis);
	}

	static String count(double value) {
		return String.format("%,.0f", value);
	}

	private record Row(String section, String measure, String value, String target, String verdict) {
	}

}
