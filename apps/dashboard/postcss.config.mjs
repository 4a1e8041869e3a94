// Tailwind CSS 4 through its PostCSS plugin; the theme lives in src/app/globals.css.
const config = {
  plugins: {
    "@tailwindcss/postcss": {},
  },
};

export default config;
