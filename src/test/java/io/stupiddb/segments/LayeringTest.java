package io.stupiddb.segments;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * Keeps the storage core plain Java and the dependencies pointing one way:
 * api → service → engine/query → format. Plain ArchUnit from an ordinary JUnit test, so no
 * second test engine has to be wired into the JUnit 6 platform.
 */
class LayeringTest {

    private static final String BASE = "io.stupiddb.segments";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void storageCoreHasNoFrameworkImports() {
        noClasses().that().resideInAnyPackage(BASE + ".format..", BASE + ".engine..", BASE + ".query..", BASE + ".tool..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "jakarta..", "javax.inject..", "io.smallrye..", "io.vertx..",
                        "org.eclipse.microprofile..", "io.micrometer..")
                .because("format, engine and query are plain Java, testable and benchmarkable alone")
                .check(PRODUCTION);
    }

    @Test
    void dependenciesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("api").definedBy(BASE + ".api..")
                .layer("service").definedBy(BASE + ".service..")
                .layer("tool").definedBy(BASE + ".tool..")
                .layer("engine").definedBy(BASE + ".engine..")
                .layer("query").definedBy(BASE + ".query..")
                .layer("format").definedBy(BASE + ".format..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("service").mayOnlyBeAccessedByLayers("api")
                .whereLayer("tool").mayOnlyBeAccessedByLayers("service")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("api", "service", "tool")
                .whereLayer("query").mayOnlyBeAccessedByLayers("api", "service", "tool", "engine")
                .whereLayer("format").mayOnlyBeAccessedByLayers("api", "service", "tool", "engine", "query")
                .check(PRODUCTION);
    }
}
