package io.datastream.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering rules of conventions.md, checked on the compiled main classes. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.datastream.agent");

    @Test
    void theAgentNeverImportsTheRouter() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.datastream.router..").check(MAIN);
    }

    @Test
    void onlyTheProtocolsCodecPackageTouchesCompressionLibraries() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("net.jpountz..", "com.github.luben..").check(MAIN);
    }

    @Test
    void theAgentsPackagesHaveNoCycles() {
        slices().matching("io.datastream.agent.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
