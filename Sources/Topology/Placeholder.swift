public enum TopologyPlaceholder {}
