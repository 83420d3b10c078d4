package dev.nmcc.driver;

/** Entry point of the nmcc command line (placeholder until the driver lands). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("nmcc 0.1.0-SNAPSHOT");
    }
}
