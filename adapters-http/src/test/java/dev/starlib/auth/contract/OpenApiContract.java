package dev.starlib.auth.contract;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypePredicate;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.mediatype.impl.DefaultMediaTypeRegistration;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code contract/openapi.yaml}, as the build bundles it, enforced on what tests exchange with the server. The
 * checking is Vert.x OpenAPI's (an OpenAPI 3.1 validator: operations, parameters, bodies against JSON Schema
 * 2020-12, declared response headers, undeclared statuses); this class only feeds it and adds what an OpenAPI
 * validator leaves to its caller:
 * <ul>
 *   <li>a response header that the contract does not declare for that response fails (HTTP framing aside);</li>
 *   <li>a body on a response that declares none fails;</li>
 *   <li>a request that breaks the contract (a test sending bad input on purpose) must not succeed, and the
 *       error it gets must itself be a documented response;</li>
 *   <li>a request that matches no operation is answered as {@code x-unrouted-responses} documents.</li>
 * </ul>
 * Only paths the contract owns are checked: {@code /auth/soundcloud/...}, {@code /openapi}, and on the operators'
 * listener the internal API's one operation, {@code /internal/soundcloud/app-token}.
 */
public final class OpenApiContract {

    /** Where the build copies {@code contract/openapi.yaml} (adapters-http serves it from there). */
    public static final String RESOURCE = "dev/starlib/auth/http/openapi.yaml";
    static final String UNROUTED = "x-unrouted";
    /**
     * The internal API's operation. Only the documented method is checked: the admin listener answers other methods
     * (405) and other paths in its own way, which {@code x-unrouted-responses} (the public API's) does not describe.
     */
    static final String INTERNAL_APP_TOKEN = "/internal/soundcloud/app-token";
    /** Headers about the message, not the API: the contract need not list them. */
    static final Set<String> FRAMING_HEADERS = Set.of("content-type", "content-length", "transfer-encoding",
            "connection", "date", "keep-alive");
    private static final Set<String> JSON_TYPES = Set.of("application/problem+json", "application/openapi+json");
    private static final Set<String> OPAQUE_TYPES = Set.of("text/html", "application/yaml", "application/openapi+yaml");

    private static OpenApiContract bundled;

    private final Vertx vertx;
    private final OpenAPIContract contract;
    private final RequestValidator requests;
    private final ResponseValidator responses;

    private OpenApiContract(Vertx vertx, OpenAPIContract contract) {
        this.vertx = vertx;
        this.contract = contract;
        this.requests = RequestValidator.create(vertx, contract);
        this.responses = ResponseValidator.create(vertx, contract);
    }

    /** The bundled contract, loaded (and itself validated against the OpenAPI 3.1 schema) once per JVM. */
    public static synchronized OpenApiContract bundled() {
        if (bundled == null) {
            bundled = load(readResource());
        }
        return bundled;
    }

    /** A contract from YAML text; for tests of this class (a deliberately broken copy must fail). */
    public static OpenApiContract load(String yaml) {
        JsonObject document = withUnroutedOperation(toJson(yaml));
        Vertx vertx = Vertx.vertx();
        MediaTypeRegistry mediaTypes = MediaTypeRegistry.createDefault()
                .register(new DefaultMediaTypeRegistration(
                        MediaTypePredicate.ofExactTypes(JSON_TYPES.toArray(String[]::new)), ContentAnalyserFactory.json()))
                .register(new DefaultMediaTypeRegistration(
                        MediaTypePredicate.ofExactTypes(OPAQUE_TYPES.toArray(String[]::new)), ContentAnalyserFactory.noop()));
        OpenAPIContract contract = await(OpenAPIContract.builder(vertx).mediaTypeRegistry(mediaTypes)
                .setContract(document).build());
        return new OpenApiContract(vertx, contract);
    }

    /** Throws an {@link AssertionError} naming every way the exchange breaks the contract. */
    public void check(Exchange exchange) {
        List<String> violations = violations(exchange);
        if (!violations.isEmpty()) {
            throw new AssertionError("Contract violation (contract/openapi.yaml): " + exchange.describe()
                    + "\n  - " + String.join("\n  - ", violations));
        }
    }

    List<String> violations(Exchange exchange) {
        if (!owns(routedPath(exchange.rawPath()))
                || (exchange.rawPath().equals(INTERNAL_APP_TOKEN) && !exchange.method().equals("GET"))) {
            return List.of();
        }
        List<String> violations = new ArrayList<>();
        Optional<String> path = decodePath(exchange.rawPath());
        Operation operation = path.map(p -> contract.findOperation(p, HttpMethod.valueOf(exchange.method())))
                .orElse(null);
        Optional<String> offContract;
        String operationId;
        if (operation == null) {
            operationId = UNROUTED;
            offContract = Optional.of("no operation " + exchange.method() + " " + exchange.rawPath());
        } else {
            operationId = operation.getOperationId();
            offContract = requestViolation(operation, exchange);
        }
        if (offContract.isPresent() && exchange.status() < 400) {
            violations.add("the request breaks the contract (" + offContract.get() + ") yet was answered "
                    + exchange.status() + ": the contract is stricter than the service");
        }
        responseViolation(operationId, exchange).ifPresent(violations::add);
        Response documented = contract.operation(operationId).getResponse(exchange.status());
        if (documented != null) {
            Set<String> declared = new java.util.HashSet<>(FRAMING_HEADERS);
            documented.getHeaders().forEach(h -> declared.add(h.getName().toLowerCase(Locale.ROOT)));
            exchange.responseHeaders().keySet().stream()
                    .filter(name -> !declared.contains(name.toLowerCase(Locale.ROOT)))
                    .forEach(name -> violations.add("header " + name + " is not documented for " + operationId
                            + " " + exchange.status()));
            if (documented.getContent().isEmpty() && exchange.responseBody().length > 0) {
                violations.add("a body on " + exchange.status() + ", which the contract documents without content");
            }
        }
        return violations;
    }

    /** The raw path with its dot segments resolved, as the server routes it ({@code /auth/soundcloud/..} is {@code /auth}). */
    private static String routedPath(String rawPath) {
        try {
            String normalized = java.net.URI.create("http://host" + rawPath).normalize().getRawPath();
            return normalized == null || normalized.isEmpty() ? rawPath : normalized;
        } catch (IllegalArgumentException notAUri) {
            return rawPath;
        }
    }

    private static boolean owns(String rawPath) {
        return rawPath.equals("/auth/soundcloud") || rawPath.startsWith("/auth/soundcloud/") || rawPath.equals("/openapi")
                || rawPath.equals(INTERNAL_APP_TOKEN);
    }

    private Optional<String> requestViolation(Operation operation, Exchange exchange) {
        Map<String, List<String>> query;
        try {
            query = parseQuery(exchange.rawQuery().orElse(""));
        } catch (IllegalArgumentException e) {
            return Optional.of("the query is not valid percent-encoding");
        }
        Map<String, RequestParameter> queryParameters = new HashMap<>();
        Map<String, RequestParameter> headerParameters = new HashMap<>();
        for (Parameter parameter : operation.getParameters()) {
            if (parameter.getIn() == Location.QUERY) {
                List<String> values = query.getOrDefault(parameter.getName(), List.of());
                if (values.size() > 1) {
                    return Optional.of("query parameter " + parameter.getName() + " is sent " + values.size() + " times");
                }
                values.stream().findFirst().ifPresent(v -> queryParameters.put(parameter.getName(), new RequestParameterImpl(v)));
            } else if (parameter.getIn() == Location.HEADER) {
                exchange.requestHeader(parameter.getName())
                        .ifPresent(v -> headerParameters.put(parameter.getName(), new RequestParameterImpl(v)));
            }
        }
        RequestParameter body = exchange.requestBody().length == 0
                ? new RequestParameterImpl(null) : new RequestParameterImpl(Buffer.buffer(exchange.requestBody()));
        var request = new ValidatableRequestImpl(Map.of(), headerParameters, Map.of(), queryParameters, body,
                exchange.requestHeader("Content-Type").map(OpenApiContract::caseless).orElse(null));
        try {
            await(requests.validate(request, operation.getOperationId()));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(messageOf(e));
        }
    }

    private Optional<String> responseViolation(String operationId, Exchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        Response documented = contract.operation(operationId).getResponse(exchange.status());
        if (documented != null) {
            // The validator looks headers up by their documented spelling; HTTP names are case-insensitive.
            documented.getHeaders().forEach(h -> exchange.responseHeader(h.getName())
                    .ifPresent(value -> headers.put(h.getName(), value)));
        }
        String contentType = exchange.responseHeader("Content-Type")
                .map(type -> type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse(null);
        ValidatableResponse response = ValidatableResponse.create(exchange.status(), headers,
                exchange.responseBody().length == 0 ? null : Buffer.buffer(exchange.responseBody()), contentType);
        try {
            await(responses.validate(response, operationId));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(messageOf(e));
        }
    }

    /** A media type's type and subtype are case-insensitive (RFC 9110 §8.3.1); the validator compares them exactly. */
    private static String caseless(String contentType) {
        int semicolon = contentType.indexOf(';');
        return semicolon < 0 ? contentType.toLowerCase(Locale.ROOT)
                : contentType.substring(0, semicolon).toLowerCase(Locale.ROOT) + contentType.substring(semicolon);
    }

    /** The path as the server routes it: decoded, with RFC 3986 path parameters ({@code /result;x=1}) taken off. */
    private static Optional<String> decodePath(String rawPath) {
        try {
            String routed = rawPath.replaceAll(";[^/]*", "");
            return Optional.of(URLDecoder.decode(routed.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> values = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return values;
    }

    private static String messageOf(Throwable e) {
        Throwable cause = e instanceof ExecutionException || e.getCause() instanceof ExecutionException
                ? e.getCause() : e;
        while (cause instanceof ExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while validating", e);
        } catch (ExecutionException e) {
            throw new ValidationFailed(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the validator did not answer", e);
        }
    }

    /** The contract's {@code x-unrouted-responses}, as an operation the validator can check responses against. */
    private static JsonObject withUnroutedOperation(JsonObject document) {
        JsonObject unrouted = document.getJsonObject("x-unrouted-responses");
        if (unrouted == null) {
            throw new IllegalStateException("the contract must document x-unrouted-responses");
        }
        document.getJsonObject("paths").put("/x-unrouted", new JsonObject().put("get", new JsonObject()
                .put("operationId", UNROUTED)
                .put("responses", unrouted.getJsonObject("responses").copy())));
        return document;
    }

    private static JsonObject toJson(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(500);
        Object tree = new Yaml(new SafeConstructor(options)).load(yaml);
        try {
            return new JsonObject(JsonMapper.builder().build().writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readResource() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A validator's verdict, carried out of {@link #await}. */
    static final class ValidationFailed extends RuntimeException {
        ValidationFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
