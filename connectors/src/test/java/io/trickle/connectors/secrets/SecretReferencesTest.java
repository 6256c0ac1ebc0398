package io.trickle.connectors.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {
  @TempDir
  Path dir;

  @Test
  void aWrittenSecretIsReadBackByKafkasFileConfigProviderAndOnlyItsOwnerCanReadIt() throws Exception {
    Path file = dir.resolve("secrets").resolve("pg.properties");
    String password = "p@ss=wörd:#!\\ x";
    SecretReferences.writePropertiesFile(file, "password", password);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("file mode").isEqualTo("rw-------");
    String ref = SecretReferences.fileReference(file, "password");
    assertThat(ref).as("reference").isEqualTo("${file:" + file.toAbsolutePath() + ":password}");
    assertThat(SecretReferences.isReference(ref)).as("isReference").isTrue();
    try (FileConfigProvider provider = new FileConfigProvider()) {
      provider.configure(Map.of(FileConfigProvider.ALLOWED_PATHS_CONFIG, dir.resolve("secrets").toString()));
      ConfigData data = provider.get(file.toString(), Set.of("password"));
      assertThat(data.data()).as("resolved by Kafka's provider").containsEntry("password", password);
    }
  }

  @Test
  void onlyReferencesPass() {
    assertThat(SecretReferences.isReference("${env:PGPASSWORD}")).as("env reference").isTrue();
    assertThat(SecretReferences.isReference("secret")).as("a plain value").isFalse();
    assertThat(SecretReferences.isReference("x${env:A}")).as("a value around a reference").isFalse();
    assertThat(SecretReferences.requireReferenceOrEmpty("k", "")).as("no password").isEmpty();
  }

  @Test
  void theWorkerDeclaresFileAndEnvProvidersConfinedToTheSecretsDirectory() {
    Map<String, String> m = SecretReferences.workerConfig(dir);
    assertThat(m).as("worker config")
        .containsEntry("config.providers", "file,env")
        .containsEntry("config.providers.file.class", FileConfigProvider.class.getName())
        .containsEntry("config.providers.file.param.allowed.paths", dir.toAbsolutePath().toString())
        .containsKey("config.providers.env.param.allowlist.pattern");
  }
}
