package io.qoderevents.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files: small once compressed, no inline script or handler, nothing from
 * another origin.
 */
class ConsoleAssetsTests {

	private static final Path CONSOLE = Path.of("src/main/resources/static/console");

	private static final List<String> WEBJAR = List.of("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.esm.js",
			"META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");

	private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern HANDLER = Pattern.compile("<[^>]+\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);

	private static final Pattern ELSEWHERE = Pattern.compile("(src|href)=\"(https?:)?//", Pattern.CASE_INSENSITIVE);

	@Test
	void assetsWhenGzippedThenTotalAtMost300Kilobytes() throws IOException {
		long compressed = 0;
		try (Stream<Path> files = Files.list(CONSOLE)) {
			for (Path file : files.toList()) {
				compressed += gzipped(Files.readAllBytes(file));
			}
		}
		for (String resource : WEBJAR) {
			try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
				assertThat(in).as(resource).isNotNull();
				compressed += gzipped(in.readAllBytes());
			}
		}
		System.out.println("console assets: " + compressed + " bytes gzipped (uPlot included)");
		assertThat(compressed).isPositive().isLessThanOrEqualTo(300 * 1024);
	}

	@Test
	void pagesWhenReadThenNoInlineScriptNoHandlerNoOtherOrigin() throws IOException {
		try (Stream<Path> files = Files.list(CONSOLE)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".html")).toList()) {
				String html = Files.readString(file, StandardCharsets.UTF_8);
				assertThat(INLINE_SCRIPT.matcher(html).find()).as("%s has an inline script", file).isFalse();
				assertThat(HANDLER.matcher(html).find()).as("%s has an inline handler", file).isFalse();
				assertThat(ELSEWHERE.matcher(html).find()).as("%s loads from another origin", file).isFalse();
				assertThat(html).doesNotContain("<style");
			}
		}
	}

	private static long gzipped(byte[] content) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(content);
		}
		return out.size();
	}

}
