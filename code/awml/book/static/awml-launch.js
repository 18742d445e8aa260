// Launch menu: copy the `awml studio open PAGE` command of a page.
function awmlCopyCommand(button, command) {
  const show = () => window.prompt("Run this in a terminal where awml is installed:", command);
  if (!navigator.clipboard || !window.isSecureContext) {
    show();
    return;
  }
  navigator.clipboard.writeText(command).then(() => {
    const label = button.querySelector(".btn__text-container");
    if (!label) return;
    label.textContent = "Copied: " + command;
    setTimeout(() => { label.textContent = command; }, 2000);
  }, show);
}
