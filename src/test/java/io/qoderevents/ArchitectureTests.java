package io.qoderevents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.qoderevents.upstream.SessionIds;
import org.junit.jupiter.api.Test;

import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Package by feature: no cycles between features, each feature depends only on the ones
 * listed here, controllers and repositories stay inside their feature, vendor types stay
 * in upstream.
 */
class ArchitectureTests {

	private static final String ROOT = "io.qoderevents";

	/**
	 * The features each feature may use. web and config are shared plumbing: they use no
	 * feature (web reads {@link SessionIds}, see
	 * {@link #sharedPlumbingWhenUsedThenUsesNoFeature()}). Nothing uses demo.
	 */
	private static final Map<String, Set<String>> MAY_DEPEND_ON = mayDependOn();

	private static final String INGEST = ROOT + ".ingest";

	/**
	 * The parts of ingest and the parts each may use: live and sweep use the root (the
	 * poll cycle, leases, schedule, snapshots, metrics), the root uses the page
	 * transaction, the page transaction uses the pure derivation of turns, and turns uses
	 * nothing of ingest. {@code ""} is the root package.
	 */
	private static final Map<String, Set<String>> INGEST_MAY_USE = ingestMayUse();

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void featuresWhenDependingOnEachOtherThenNoCycles() {
		slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void featuresWhenDependingOnOtherFeaturesThenOnlyOnTheAllowedOnes() {
		assertThatEveryFeatureIsListed();
		List<ArchRule> rules = new ArrayList<>();
		for (Map.Entry<String, Set<String>> feature : MAY_DEPEND_ON.entrySet()) {
			rules.add(mayOnlyUse(feature.getKey(), feature.getValue()));
		}
		CompositeArchRule.of(rules).check(CLASSES);
	}

	@Test
	void sharedPlumbingWhenUsedThenUsesNoFeature() {
		noClasses().that()
			.resideInAnyPackage(feature("web"), feature("config"))
			.should()
			.dependOnClassesThat(
					resideInAPackage(ROOT + "..").and(not(resideInAnyPackage(feature("web"), feature("config"))))
						.and(not(type(SessionIds.class))))
			.because("web and config are shared plumbing; web validates session ids with upstream.SessionIds")
			.check(CLASSES);
	}

	@Test
	void controllersAndRepositoriesWhenDeclaredThenPackagePrivate() {
		classes().that()
			.areAnnotatedWith(RestController.class)
			.or()
			.areAnnotatedWith(Controller.class)
			.or()
			.areAnnotatedWith(Repository.class)
			.should()
			.notBePublic()
			.check(CLASSES);
	}

	@Test
	void upstreamWhenUsedThenNeverFromControllers() {
		noClasses().that()
			.areAnnotatedWith(RestController.class)
			.and()
			.resideOutsideOfPackage("io.qoderevents.demo")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.qoderevents.upstream")
			.because("vendor types never reach a controller")
			.check(CLASSES);
	}

	@Test
	void demoWhenProductionCodeThenNeverDependedOn() {
		noClasses().that()
			.resideOutsideOfPackage("io.qoderevents.demo..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.qoderevents.demo..")
			.check(CLASSES);
	}

	@Test
	void ingestPartsWhenDependingOnEachOtherThenOnlyOneWay() {
		ingestLayers().check(CLASSES);
	}

	@Test
	void ingestPartsWhenDependingOnEachOtherThenNoCycles() {
		slices().assignedFrom(ingestParts()).should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void ingestClassesWhenDependingOnEachOtherThenNoCycles() {
		slices().assignedFrom(ingestTopLevelClasses()).should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void turnsWhenDerivingThenNoSpringAndNoJdbc() {
		noClasses().that()
			.resideInAPackage(INGEST + ".turns..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..", "org.postgresql..",
					"org.flywaydb..")
			.because("turns is the pure derivation of a page's plan")
			.check(CLASSES);
	}

	@Test
	void ingestLayersWhenTurnsUsesThePageThenTheRuleFails() {
		JavaClasses withFixture = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
			.importPackages(INGEST + ".turns");
		EvaluationResult result = ingestLayers().evaluate(withFixture);
		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().getDetails()).anyMatch((line) -> line.contains("UsesThePageFixture"))
			.allMatch((line) -> line.contains("UsesThePageFixture"));
		assertThat(ingestLayers().evaluate(CLASSES).hasViolation()).isFalse();
	}

	private static Map<String, Set<String>> ingestMayUse() {
		Map<String, Set<String>> parts = new LinkedHashMap<>();
		parts.put("turns", Set.of());
		parts.put("page", Set.of("turns"));
		parts.put("", Set.of("page", "turns"));
		parts.put("live", Set.of("", "page", "turns"));
		parts.put("sweep", Set.of(""));
		return parts;
	}

	private static ArchRule ingestLayers() {
		List<ArchRule> rules = new ArrayList<>();
		for (Map.Entry<String, Set<String>> part : INGEST_MAY_USE.entrySet()) {
			List<String> packages = new ArrayList<>();
			packages.add(ingestPart(part.getKey()));
			part.getValue().forEach((other) -> packages.add(ingestPart(other)));
			rules.add(classes().that()
				.resideInAPackage(ingestPart(part.getKey()))
				.should()
				.onlyDependOnClassesThat(
						resideInAnyPackage(packages.toArray(String[]::new)).or(resideOutsideOfPackage(INGEST + "..")))
				.as("ingest" + (part.getKey().isEmpty() ? "" : "." + part.getKey()) + " uses no part of ingest but "
						+ part.getValue())
				.allowEmptyShould(true));
		}
		return CompositeArchRule.of(rules);
	}

	/** The package of a part of ingest, its sub-packages included except for the root. */
	private static String ingestPart(String part) {
		return part.isEmpty() ? INGEST : INGEST + "." + part + "..";
	}

	/** Each class of ingest in the slice of its part (the root is a part of its own). */
	private static SliceAssignment ingestParts() {
		return new SliceAssignment() {
			@Override
			public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
				String name = javaClass.getPackageName();
				if (name.equals(INGEST)) {
					return SliceIdentifier.of("ingest");
				}
				return name.startsWith(INGEST + ".")
						? SliceIdentifier.of("ingest." + name.substring(INGEST.length() + 1).split("\\.")[0])
						: SliceIdentifier.ignore();
			}

			@Override
			public String getDescription() {
				return "the parts of ingest";
			}
		};
	}

	/** Each top-level class of ingest (with its nested classes) a slice of its own. */
	private static SliceAssignment ingestTopLevelClasses() {
		return new SliceAssignment() {
			@Override
			public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
				if (!javaClass.getPackageName().equals(INGEST)
						&& !javaClass.getPackageName().startsWith(INGEST + ".")) {
					return SliceIdentifier.ignore();
				}
				return SliceIdentifier.of(javaClass.getName().split("\\$")[0]);
			}

			@Override
			public String getDescription() {
				return "the classes of ingest";
			}
		};
	}

	private static Map<String, Set<String>> mayDependOn() {
		Map<String, Set<String>> features = new LinkedHashMap<>();
		features.put("config", Set.of());
		features.put("web", Set.of("config", "upstream"));
		features.put("upstream", Set.of("config"));
		features.put("tracking", Set.of("config", "web", "upstream"));
		features.put("ingest", Set.of("config", "web", "upstream", "tracking", "usage"));
		features.put("events", Set.of("config", "web", "tracking"));
		features.put("usage", Set.of("config", "web", "tracking", "pricing"));
		features.put("errors", Set.of("config", "web", "tracking"));
		features.put("security", Set.of("config", "web", "console"));
		features.put("console", Set.of("config", "tracking"));
		features.put("webhooks", Set.of("config", "web", "upstream", "tracking"));
		features.put("pricing", Set.of("config", "web"));
		features.put("budgets", Set.of("config", "web", "pricing"));
		features.put("demo", Set.of("config", "web", "upstream", "tracking", "ingest", "events", "usage", "errors",
				"security", "webhooks"));
		return features;
	}

	/** Every feature package in the code has a line in {@link #MAY_DEPEND_ON}. */
	private void assertThatEveryFeatureIsListed() {
		classes().that()
			.resideInAPackage(ROOT + ".*..")
			.should()
			.resideInAnyPackage(MAY_DEPEND_ON.keySet().stream().map(ArchitectureTests::feature).toArray(String[]::new))
			.as("every feature is listed in MAY_DEPEND_ON")
			.check(CLASSES);
	}

	private static ArchRule mayOnlyUse(String feature, Set<String> allowed) {
		return classes().that()
			.resideInAPackage(feature(feature))
			.should()
			.onlyDependOnClassesThat(insideFeatures(feature, allowed).or(outsideTheService()))
			.as(feature + " uses no feature but " + allowed);
	}

	private static DescribedPredicate<JavaClass> insideFeatures(String feature, Set<String> allowed) {
		List<String> packages = new ArrayList<>();
		packages.add(feature(feature));
		allowed.forEach((other) -> packages.add(feature(other)));
		return resideInAnyPackage(packages.toArray(String[]::new));
	}

	private static DescribedPredicate<JavaClass> outsideTheService() {
		return resideOutsideOfPackage(ROOT + "..");
	}

	private static String feature(String name) {
		return ROOT + "." + name + "..";
	}

}
