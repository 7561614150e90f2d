package io.stupiddb.segments;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * Keeps the storage core plain Java and the dependencies pointing one way:
 * api → service → store → cold → lifecycle → segment, journal → id, query → format.
 * Plain ArchUnit from an ordinary JUnit test, so no second test engine has to be wired into the
 * JUnit 6 platform.
 */
class LayeringTest {

    private static final String BASE = "io.stupiddb.segments";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void storageCoreHasNoFrameworkImports() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        BASE + ".format..",
                        BASE + ".id..",
                        BASE + ".journal..",
                        BASE + ".segment..",
                        BASE + ".lifecycle..",
                        BASE + ".cold..",
                        BASE + ".store..",
                        BASE + ".query..",
                        BASE + ".tool..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta..",
                        "javax.inject..",
                        "io.smallrye..",
                        "io.vertx..",
                        "org.eclipse.microprofile..",
                        "io.micrometer..")
                .because("the storage core and query are plain Java, testable and benchmarkable alone")
                .check(PRODUCTION);
    }

    @Test
    void dependenciesPointOneWay() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("api")
                .definedBy(BASE + ".api..")
                .layer("service")
                .definedBy(BASE + ".service..")
                .layer("tool")
                .definedBy(BASE + ".tool..")
                .layer("store")
                .definedBy(BASE + ".store..")
                .layer("cold")
                .definedBy(BASE + ".cold..")
                .layer("lifecycle")
                .definedBy(BASE + ".lifecycle..")
                .layer("segment")
                .definedBy(BASE + ".segment..")
                .layer("journal")
                .definedBy(BASE + ".journal..")
                .layer("id")
                .definedBy(BASE + ".id..")
                .layer("query")
                .definedBy(BASE + ".query..")
                .layer("format")
                .definedBy(BASE + ".format..")
                .whereLayer("api")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("service")
                .mayOnlyBeAccessedByLayers("api")
                .whereLayer("tool")
                .mayOnlyBeAccessedByLayers("service")
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers("api", "service", "tool")
                .whereLayer("cold")
                .mayOnlyBeAccessedByLayers("api", "service", "store")
                .whereLayer("lifecycle")
                .mayOnlyBeAccessedByLayers("api", "service", "tool", "store", "cold")
                .whereLayer("segment")
                .mayOnlyBeAccessedByLayers("api", "service", "tool", "store", "lifecycle", "cold")
                .whereLayer("journal")
                .mayOnlyBeAccessedByLayers("api", "service", "tool", "store", "lifecycle", "cold")
                .whereLayer("id")
                .mayOnlyBeAccessedByLayers("api", "service", "tool", "store", "cold", "lifecycle", "segment", "journal")
                .whereLayer("query")
                .mayOnlyBeAccessedByLayers("api", "service", "tool", "store", "lifecycle", "segment")
                .whereLayer("format")
                .mayOnlyBeAccessedByLayers(
                        "api", "service", "tool", "store", "cold", "lifecycle", "segment", "journal", "id", "query")
                .check(PRODUCTION);
    }

    @Test
    void formatDependsOnNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage(BASE + ".format..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        BASE + ".id..",
                        BASE + ".journal..",
                        BASE + ".segment..",
                        BASE + ".lifecycle..",
                        BASE + ".cold..",
                        BASE + ".store..",
                        BASE + ".query..",
                        BASE + ".service..",
                        BASE + ".api..",
                        BASE + ".tool..")
                .check(PRODUCTION);
    }

    @Test
    void journalAndSegmentNeverReachUp() {
        noClasses()
                .that()
                .resideInAnyPackage(BASE + ".journal..", BASE + ".segment..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        BASE + ".store..",
                        BASE + ".cold..",
                        BASE + ".lifecycle..",
                        BASE + ".service..",
                        BASE + ".api..",
                        BASE + ".tool..")
                .check(PRODUCTION);
        noClasses()
                .that()
                .resideInAPackage(BASE + ".journal..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(BASE + ".segment..")
                .because("the journal records what happened to segments by id; it never opens one")
                .check(PRODUCTION);
    }

    @Test
    void onlyTheColdTierTalksToTheObjectStore() {
        noClasses()
                .that()
                .resideOutsideOfPackage(BASE + ".cold..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .because("the S3 client is one package's detail (SPEC §10); the rest sees ColdTier")
                .check(PRODUCTION);
    }
}
