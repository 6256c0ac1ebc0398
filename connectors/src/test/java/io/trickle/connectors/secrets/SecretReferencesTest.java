package io.trickle.connectors.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {
  @TempDir
  Path dir;

  @Test
  void anInProcessSecretIsResolvedByKafkasConfigTransformerAndNeverAppearsInTheReference() {
    String password = "p@ss=wörd:#!\\ x}";
    String ref = InProcessSecrets.put("postgres-shop", password);
    assertThat(ref).as("reference").isEqualTo("${trickle:postgres-shop}").doesNotContain(password);
    assertThat(SecretReferences.isReference(ref)).as("isReference").isTrue();
    try (InProcessSecrets provider = new InProcessSecrets()) {
      ConfigTransformer t = new ConfigTransformer(Map.<String, ConfigProvider>of(InProcessSecrets.PROVIDER, provider));
      Map<String, String> resolved = t.transform(Map.of("connection.password", ref)).data();
      assertThat(resolved).as("resolved as a Connect worker resolves it").containsEntry("connection.password", password);
      assertThat(provider.get("", Set.of("unknown")).data()).as("an unknown name resolves to nothing").isEmpty();
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
  void theWorkerDeclaresInProcessFileAndEnvProvidersWithFilesConfinedToTheSecretsDirectory() {
    Map<String, String> m = SecretReferences.workerConfig(dir);
    assertThat(m).as("worker config")
        .containsEntry("config.providers", "trickle,file,env")
        .containsEntry("config.providers.trickle.class", InProcessSecrets.class.getName())
        .containsEntry("config.providers.file.class", FileConfigProvider.class.getName())
        .containsEntry("config.providers.file.param.allowed.paths", dir.toAbsolutePath().toString())
        .containsKey("config.providers.env.param.allowlist.pattern");
  }
}
