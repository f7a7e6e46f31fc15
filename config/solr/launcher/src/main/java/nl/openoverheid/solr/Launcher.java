package nl.openoverheid.solr;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts a real Solr 9 server on a fixed host and port, serving the cores found in a Solr home.
 *
 * Usage: java -cp ... nl.openoverheid.solr.Launcher SOLR_HOME PORT
 * The host is taken from the system property "host" (default 127.0.0.1), as Solr itself does.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Launcher SOLR_HOME PORT");
      System.exit(2);
    }
    Path solrHome = Paths.get(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    if (System.getProperty("host") == null) {
      System.setProperty("host", "127.0.0.1");
    }
    System.setProperty("solr.solr.home", solrHome.toString());
    JettyConfig config = JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(true).build();
    JettySolrRunner runner = new JettySolrRunner(solrHome.toString(), config);
    try {
      runner.start();
    } catch (Exception e) {
      System.err.println("Solr did not start: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    if (runner.getCoreContainer() == null || runner.getCoreContainer().isShutDown()) {
      System.err.println("Solr did not start: its CoreContainer is unavailable (see the errors above)");
      System.exit(1);
    }
    System.out.println("Solr listening on http://"
        + System.getProperty("host") + ":" + port + "/solr (home " + solrHome + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runner.stop();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    Thread.currentThread().join();
  }
}
