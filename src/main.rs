fn main() {
    println!("usage: qari render [FILE|-]");
}
