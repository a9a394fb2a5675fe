package io.datastream.protocol;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering of ds-protocol: native compression stays in the codec package; no other module leaks in. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.datastream.protocol");

    @Test
    void onlyTheCodecPackageTouchesLz4AndZstd() {
        noClasses().that().resideOutsideOfPackage("io.datastream.protocol.codec..")
                .should().dependOnClassesThat().resideInAnyPackage("net.jpountz..", "com.github.luben..")
                .check(MAIN);
    }

    @Test
    void theProtocolDependsOnNoOtherDatastreamModule() {
        noClasses().that().resideInAPackage("io.datastream.protocol..")
                .should().dependOnClassesThat(resideInAPackage("io.datastream..")
                        .and(not(resideInAPackage("io.datastream.protocol.."))))
                .check(MAIN);
    }
}
