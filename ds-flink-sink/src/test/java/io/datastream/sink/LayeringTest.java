package io.datastream.sink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering the package docs describe, checked. */
class LayeringTest {
    private static final JavaClasses SINK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.datastream.sink");

    @Test
    void onlyTheFileWriterTouchesZstdJni() {
        noClasses().that().resideOutsideOfPackage("io.datastream.sink.output..")
                .should().dependOnClassesThat().resideInAPackage("com.github.luben..")
                .check(SINK);
    }

    @Test
    void theOperatorsDoNotKnowTheJob() {
        noClasses().that().resideInAnyPackage("io.datastream.sink.(*)..")
                .should().dependOnClassesThat().haveFullyQualifiedName(SinkJob.class.getName())
                .check(SINK);
    }

    @Test
    void eventTimeParsingDependsOnNoFlinkOrKafkaClass() {
        noClasses().that().resideInAPackage("io.datastream.sink.eventtime..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .check(SINK);
    }

    @Test
    void theSinkReadsTaskSettingsFromBatchHeadersNotFromTheRegistry() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.datastream.registry..").check(SINK);
    }

    @Test
    void configurationDependsOnNoFlinkOrKafkaClass() {
        noClasses().that().resideInAPackage("io.datastream.sink.config..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .check(SINK);
    }
}
