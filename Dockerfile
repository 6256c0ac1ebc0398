# One image for the trickle application and for a Kafka Connect worker that has the Debezium
# PostgreSQL connector and the trickle sink on its classpath (docker-compose.yml uses both).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/cli/target/trickle-cli.jar /app/trickle-cli.jar
COPY --from=build /src/cli/target/lib /app/lib
COPY --from=build /src/examples /app/examples
COPY docker/connect-worker.properties /app/connect-worker.properties
ENTRYPOINT ["java", "-cp", "/app/trickle-cli.jar:/app/lib/*", "io.trickle.cli.Main"]
