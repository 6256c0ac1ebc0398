package io.trickle.connectors.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Serves zonky's PostgreSQL binaries with {@code initdb} and {@code pg_ctl} wrapped in a shell
 * script that, when started by root, runs the real program as the unprivileged user {@code nobody}
 * (PostgreSQL refuses to run as root). The backend started by them inherits that user.
 *
 * <p>The rewritten archive is cached in the temp directory, keyed by the original's digest; it is
 * stored uncompressed inside the xz container because compressing 60 MB would take seconds.
 */
final class NonRootPgBinaryResolver implements PgBinaryResolver {
  /** Bump when the wrapper script changes, so cached archives are rebuilt. */
  private static final String WRAPPER_VERSION = "1";
  private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl");
  private static final String WRAPPER = """
      #!/bin/sh
      # Written by trickle: PostgreSQL refuses to run as root, so root runs it as nobody.
      real="$0.real"
      if [ "$(id -u)" = "0" ]; then
        uid=$(id -u nobody) || exit 1
        gid=$(id -g nobody) || exit 1
        if command -v setpriv >/dev/null 2>&1; then
          exec setpriv --reuid="$uid" --regid="$gid" --clear-groups "$real" "$@"
        fi
        exec runuser -u nobody -- "$real" "$@"
      fi
      exec "$real" "$@"
      """;

  static final NonRootPgBinaryResolver INSTANCE = new NonRootPgBinaryResolver();

  private NonRootPgBinaryResolver() {}

  @Override
  public synchronized InputStream getPgBinary(String system, String machineHardware) throws IOException {
    byte[] original;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
      original = in.readAllBytes();
    }
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "trickle-embedded-pg",
        system + "-" + machineHardware + "-" + digest(original) + "-w" + WRAPPER_VERSION + ".txz");
    if (!Files.exists(cache)) {
      Files.createDirectories(cache.getParent());
      Path tmp = Files.createTempFile(cache.getParent(), "build", ".txz");
      try (InputStream in = new java.io.ByteArrayInputStream(original);
          OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        rewrite(in, out);
      }
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return new BufferedInputStream(Files.newInputStream(cache));
  }

  private static void rewrite(InputStream txz, OutputStream out) throws IOException {
    LZMA2Options options = new LZMA2Options();
    options.setMode(LZMA2Options.MODE_UNCOMPRESSED);
    try (TarArchiveInputStream tin = new TarArchiveInputStream(new XZCompressorInputStream(txz));
        TarArchiveOutputStream tout = new TarArchiveOutputStream(new XZOutputStream(out, options))) {
      tout.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry e;
      while ((e = tin.getNextEntry()) != null) {
        if (WRAPPED.contains(e.getName())) {
          TarArchiveEntry real = new TarArchiveEntry(e.getName() + ".real");
          real.setMode(e.getMode());
          real.setSize(e.getSize());
          real.setModTime(e.getModTime());
          tout.putArchiveEntry(real);
          tin.transferTo(tout);
          tout.closeArchiveEntry();
          byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry wrapper = new TarArchiveEntry(e.getName());
          wrapper.setMode(0100755);
          wrapper.setSize(script.length);
          wrapper.setModTime(e.getModTime());
          tout.putArchiveEntry(wrapper);
          tout.write(script);
          tout.closeArchiveEntry();
        } else {
          tout.putArchiveEntry(e);
          if (e.isFile()) {
            tin.transferTo(tout);
          }
          tout.closeArchiveEntry();
        }
      }
    }
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
