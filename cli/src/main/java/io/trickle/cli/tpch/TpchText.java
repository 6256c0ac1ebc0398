package io.trickle.cli.tpch;

import java.util.List;
import java.util.Random;

/**
 * Comment text from the specification's grammar (4.2.2.10), simplified to one sentence shape and
 * the word lists with dbgen's heavier words repeated, so the LIKE patterns the queries use
 * ({@code %special%requests%}) match a realistic fraction of rows.
 */
final class TpchText {
  private static final List<String> NOUNS = List.of("packages", "packages", "requests", "requests",
      "accounts", "accounts", "deposits", "deposits", "foxes", "ideas", "theodolites", "pinto beans",
      "instructions", "dependencies", "excuses", "platelets", "asymptotes", "courts", "dolphins",
      "multipliers", "sauternes", "warthogs", "frets", "dinos", "attainments", "somas", "Tiresias",
      "patterns", "forges", "braids", "hockey players", "frays", "warhorses", "dugouts", "notornis",
      "epitaphs", "pearls", "tithes", "waters", "orbits", "gifts", "sheaves", "depths", "sentiments",
      "decoys", "realms", "pains", "grouches", "escapades");
  private static final List<String> VERBS = List.of("sleep", "wake", "are", "cajole", "haggle", "nag",
      "use", "boost", "affix", "detect", "integrate", "maintain", "nod", "was", "lose", "sublate", "solve",
      "thrash", "promise", "engage", "hinder", "print", "x-ray", "breach", "eat", "grow", "impress",
      "mold", "poach", "serve", "run", "dazzle", "snooze", "doze", "unwind", "kindle", "play", "hang",
      "believe", "doubt");
  private static final List<String> ADJECTIVES = List.of("special", "special", "pending", "pending",
      "unusual", "express", "furious", "sly", "careful", "blithe", "quick", "fluffy", "slow", "quiet",
      "ruthless", "thin", "close", "dogged", "daring", "brave", "stealthy", "permanent", "enticing",
      "idle", "busy", "regular", "regular", "regular", "final", "final", "ironic", "ironic", "even",
      "even", "bold", "silent");
  private static final List<String> ADVERBS = List.of("sometimes", "always", "never", "furiously",
      "slyly", "carefully", "blithely", "quickly", "fluffily", "slowly", "quietly", "ruthlessly",
      "thinly", "closely", "doggedly", "daringly", "bravely", "stealthily", "permanently", "enticingly",
      "idly", "busily", "regularly", "finally", "ironically", "evenly", "boldly", "silently");
  private static final List<String> PREPOSITIONS = List.of("about", "above", "according to", "across",
      "after", "against", "along", "alongside of", "among", "around", "at", "atop", "before", "behind",
      "beneath", "beside", "besides", "between", "beyond", "by", "despite", "during", "except", "for",
      "from", "in place of", "inside", "instead of", "into", "near", "of", "on", "outside", "over",
      "past", "since", "through", "throughout", "to", "toward", "under", "until", "up", "upon",
      "without", "with", "within");
  private static final List<String> TERMINATORS = List.of(".", ".", ".", ";", ":", "?", "!", "--");
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,. ";

  private TpchText() {}

  /** Text of a length uniformly between min and max characters. */
  static String comment(Random r, int min, int max) {
    int len = min + r.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder();
    while (sb.length() < len) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sentence(r, sb);
    }
    return sb.substring(0, len).strip();
  }

  private static void sentence(Random r, StringBuilder sb) {
    if (r.nextBoolean()) {
      sb.append(pick(r, ADJECTIVES)).append(' ');
    }
    sb.append(pick(r, NOUNS)).append(' ');
    if (r.nextInt(3) == 0) {
      sb.append(pick(r, ADVERBS)).append(' ');
    }
    sb.append(pick(r, VERBS));
    if (r.nextBoolean()) {
      sb.append(' ').append(pick(r, PREPOSITIONS)).append(" the ");
      if (r.nextBoolean()) {
        sb.append(pick(r, ADJECTIVES)).append(' ');
      }
      sb.append(pick(r, NOUNS));
    }
    sb.append(pick(r, TERMINATORS));
  }

  /** A supplier comment that Q16 excludes or keeps: "... Customer ... Complaints ..." (4.2.3). */
  static String supplierComment(Random r, String middle) {
    String base = comment(r, 25, 100);
    int at = r.nextInt(Math.max(1, base.length() - 40));
    String insert = "Customer " + pick(r, ADVERBS) + " " + middle;
    String s = base.substring(0, at) + insert + base.substring(at);
    return s.length() <= 100 ? s : s.substring(0, 100).strip();
  }

  /** A random alphanumeric string (addresses), 10 to 40 characters. */
  static String address(Random r) {
    int len = 10 + r.nextInt(31);
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      sb.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
    }
    return sb.toString().strip();
  }

  static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }
}
