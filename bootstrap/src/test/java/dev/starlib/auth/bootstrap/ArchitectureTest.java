package dev.starlib.auth.bootstrap;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The hexagon, checked: what Maven module boundaries cannot see. */
class ArchitectureTest {

    private static final String ROOT = "dev.starlib.auth";
    private static final String DOMAIN = ROOT + ".domain..";
    private static final String APPLICATION = ROOT + ".application..";
    private static final String HTTP = ROOT + ".http..";
    private static final String SOUNDCLOUD = ROOT + ".soundcloud..";
    private static final String SANDBOX = ROOT + ".sandbox..";
    private static final String STORE = ROOT + ".store..";
    private static final String BOOTSTRAP = ROOT + ".bootstrap..";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Other modules' test fixtures reach this classpath as test-jars, which the option above misses.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(ROOT);
    }

    /** A rule over a package with no classes would pass without checking anything. */
    @ParameterizedTest
    @ValueSource(strings = {"domain", "application", "application.port", "http", "http.admin", "http.observe", "http.client",
            "soundcloud", "sandbox", "store", "bootstrap"})
    void everyCheckedPackageHasClasses(String pkg) {
        assertThat(production.stream().filter(c -> c.getPackageName().equals(ROOT + "." + pkg))).isNotEmpty();
    }

    @Test
    void domainUsesOnlyTheJdk() {
        // javax.crypto is the JDK's own: the domain seals a rotation's answer under the old token (RotationSeal), and
        // ClientKey is an HMAC.
        classes().that().resideInAPackage(DOMAIN)
                .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..", "javax.crypto..")
                .check(production);
    }

    @Test
    void applicationKnowsNoFrameworkAndNoAdapter() {
        classes().that().resideInAPackage(APPLICATION)
                .should().onlyDependOnClassesThat().resideInAnyPackage(APPLICATION, DOMAIN, "java..")
                .check(production);
    }

    @Test
    void coreImportsNoHelidon() {
        noClasses().that().resideInAnyPackage(DOMAIN, APPLICATION)
                .should().dependOnClassesThat().resideInAPackage("io.helidon..")
                .check(production);
    }

    @Test
    void httpAdapterDoesNotImportOtherAdapters() {
        noClasses().that().resideInAPackage(HTTP)
                .should().dependOnClassesThat().resideInAnyPackage(SOUNDCLOUD, STORE, BOOTSTRAP)
                .check(production);
    }

    @Test
    void operatorPagesGoThroughUseCasesNotPorts() {
        noClasses().that().resideInAPackage(ROOT + ".http.admin..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".application.port..")
                .check(production);
    }

    @Test
    void metricsAndHealthKnowNothingOfThePagesThatShowThem() {
        noClasses().that().resideInAPackage(ROOT + ".http.observe..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".http.admin..")
                .check(production);
    }

    @Test
    void soundCloudAdapterDoesNotImportOtherAdapters() {
        noClasses().that().resideInAPackage(SOUNDCLOUD)
                .should().dependOnClassesThat().resideInAnyPackage(HTTP, STORE, SANDBOX, BOOTSTRAP)
                .check(production);
    }

    @Test
    void sandboxSharesNoCodeWithTheService() {
        // A stand-in that borrowed the domain's PKCE or the client's parsing would agree with their bugs.
        noClasses().that().resideInAPackage(SANDBOX)
                .should().dependOnClassesThat(resideInAPackage("dev.starlib..").and(resideOutsideOfPackage(SANDBOX)))
                .check(production);
    }

    @Test
    void onlyBootstrapKnowsTheSandbox() {
        // So a build without the sandbox module needs nothing but SandboxWiring replaced (decision 0006).
        noClasses().that().resideOutsideOfPackage(SANDBOX)
                .and().doNotHaveFullyQualifiedName(SandboxWiring.class.getName())
                .should().dependOnClassesThat().resideInAPackage(SANDBOX)
                .check(production);
    }

    @Test
    void storeAdapterDoesNotImportOtherAdapters() {
        noClasses().that().resideInAPackage(STORE)
                .should().dependOnClassesThat().resideInAnyPackage(HTTP, SOUNDCLOUD, BOOTSTRAP)
                .check(production);
    }

    @Test
    void adaptersUseTheCoreOnlyThroughItsPublicTypes() {
        // Adapters talk to use cases and ports; nothing outside bootstrap wires adapters together.
        noClasses().that().resideOutsideOfPackage(BOOTSTRAP)
                .should().dependOnClassesThat().resideInAPackage(BOOTSTRAP)
                .check(production);
    }
}
