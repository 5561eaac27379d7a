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

	private static Map<String, Set<String>> mayDependOn() {
		Map<String, Set<String>> features = new LinkedHashMap<>();
		features.put("config", Set.of());
		features.put("web", Set.of("config", "upstream"));
		features.put("upstream", Set.of("config"));
		features.put("tracking", Set.of("config", "web", "upstream"));
		features.put("ingest", Set.of("config", "web", "upstream", "tracking", "usage"));
		features.put("events", Set.of("config", "web", "tracking"));
		features.put("usage", Set.of("config", "web", "tracking"));
		features.put("errors", Set.of("config", "web", "tracking"));
		features.put("security", Set.of("config", "web"));
		features.put("webhooks", Set.of("config", "web", "upstream", "tracking"));
		features.put("pricing", Set.of("config", "web"));
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
