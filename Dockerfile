# syntax=docker/dockerfile:1

FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
# /actuator/info shows git.properties, which the build writes from the repository's .git: the whole build context
# (.git included) is mounted for this step only, so .git never lands in a layer. Without a .git directory (a source
# archive, or a git worktree, whose .git is a pointer outside the context) the build stops, unless GIT_INFO=optional.
ARG GIT_INFO=required
RUN --mount=type=bind,target=/context,rw \
    if [ -d /context/.git ]; then ln -s /context/.git .git; fi \
    && ./mvnw -B -DskipTests package \
    && if [ ! -f target/classes/git.properties ] && [ "$GIT_INFO" != optional ]; then \
         echo "No git data for /actuator/info: build from a git clone, or pass --build-arg GIT_INFO=optional" >&2; \
         exit 1; \
       fi \
    && java -Djarmode=tools -jar target/qoder-events-*.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
# the compose healthcheck calls curl, which the base image ships; fail the build if that ever changes
RUN command -v curl
WORKDIR /application
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
USER 10001:10001
# the heap's share of the memory limit: the chart's 1Gi holds the measured peak (bench/RESULTS.md) at this share;
# the Jib build (./mvnw -Pimage) sets the same
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
