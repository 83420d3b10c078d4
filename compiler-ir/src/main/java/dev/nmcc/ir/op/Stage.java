package dev.nmcc.ir.op;

/**
 * The three stages of a module. {@code ann}: the float network as trained. {@code snn}: spiking
 * populations and synaptic projections (float or quantized weights). {@code hw}: the {@code snn}
 * graph with integer parameters only, plus its mapping onto cores.
 */
public enum Stage {
    ANN("ann"), SNN("snn"), HW("hw");

    private final String mnemonic;

    Stage(String mnemonic) { this.mnemonic = mnemonic; }

    public String mnemonic() { return mnemonic; }

    public static Stage fromMnemonic(String s) {
        for (Stage st : values()) if (st.mnemonic.equals(s)) return st;
        return null;
    }

    @Override public String toString() { return mnemonic; }
}
