package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README as a newcomer reads it: its links lead somewhere in this repository, its API table to real paths. */
class ReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST) (/[^ ?`]*)[^|]*\\|", Pattern.MULTILINE);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsLeadsToAFileInTheRepository() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(documents::add);
        }
        int checked = 0;
        for (Path document : documents) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1).replaceFirst("#.*$", "");
                if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
                    continue; // an anchor in the page, or an absolute URL
                }
                Path resolved = document.getParent().resolve(target).normalize();
                assertThat(resolved).as("link %s in %s", link.group(1), ROOT.relativize(document))
                        .startsWith(ROOT).exists();
                checked++;
            }
        }
        assertThat(checked).as("relative links checked").isGreaterThan(5);
    }

    @Test
    void everyPathOfTheApiTableIsServedWhereTheTableSaysItIs() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int from = readme.indexOf("\n## The API");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        int outside = section.indexOf("| outside `/auth/soundcloud`");
        assertThat(outside).as("the table of paths outside /auth/soundcloud").isPositive();

        try (RunningService service = RunningService.start(workDir, Map.of())) {
            List<String> seen = new ArrayList<>();
            Matcher row = ROW.matcher(section);
            while (row.find()) {
                String path = (row.start() < outside ? "/auth/soundcloud" : "") + row.group(2);
                HttpResponse<String> response = send(service, row.group(1), path);
                String error = response.headers().firstValue("Content-Type").orElse("").contains("json")
                        && response.statusCode() >= 400 ? JSON.readTree(response.body()).path("error").asText() : "";
                assertThat(error).as("%s %s (%s): %s", row.group(1), path, response.statusCode(), response.body())
                        .isNotIn("not_found", "method_not_allowed");
                seen.add(row.group(1) + " " + path);
            }
            assertThat(seen).contains("GET /auth/soundcloud/authorize", "POST /auth/soundcloud/refresh",
                    "GET /auth/soundcloud/done", "GET /openapi");
        }
    }

    private static HttpResponse<String> send(RunningService service, String method, String path) {
        String url = service.publicBase() + path;
        return "GET".equals(method) ? service.fetch(url) : service.submit(url, "application/json", "{}");
    }
}
